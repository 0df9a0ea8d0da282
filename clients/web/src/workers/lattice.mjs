// Worker: the lattice tool of lib/lattice.mjs off the page's thread.
// In: {data (Float64Array, row-major), d, n}.  Out: {progress} messages,
// then {result: {direction, relation, residual}} or {error}.
import { findDirection } from "../lib/lattice.mjs";

self.onmessage = (ev) => {
  const { data, d, n } = ev.data;
  try {
    let last = 0;
    const result = findDirection(data, d, {
      n,
      onStep: (f) => { if (f - last > 0.05) { last = f; self.postMessage({ progress: f }); } },
    });
    self.postMessage({ result });
  } catch (e) {
    self.postMessage({ error: String(e && e.message) });
  }
};
