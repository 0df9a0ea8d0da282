// Worker: brute force over every seed of a small owf instance: the first
// seed whose f(seed) equals the bits the measurement y reads.
// In: {fKey, seedBits, imageBits, delta, y}.  Out: {progress, tried}
// messages, then {seed (hex) | null, tried}.
import { owfF, bHat, seedHex } from "../scoracle.mjs";

self.onmessage = (ev) => {
  const { fKey, seedBits, imageBits, delta, y } = ev.data;
  const target = bHat(y, delta).join("");
  const total = 2 ** seedBits;
  const step = Math.max(1, Math.floor(total / 100));
  for (let s = 0; s < total; s++) {
    const bits = Array.from({ length: seedBits }, (_, i) => Math.floor(s / 2 ** i) % 2);
    if (owfF(fKey, bits, seedBits, imageBits).join("") === target) {
      self.postMessage({ seed: seedHex(bits), tried: s + 1 });
      return;
    }
    if (s % step === 0) self.postMessage({ progress: s / total, tried: s });
  }
  self.postMessage({ seed: null, tried: total });
};
