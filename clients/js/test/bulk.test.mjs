// The JS client's bulk calls against a server with small limits: score,
// logpdf and samples larger than one request are split by /v1/info's
// limits (progress after each request), joined in order; a body past the
// cap throws PayloadTooLarge; createChallenge sends rounds only when given.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";

import * as sc from "../scoracle.mjs";
import { startServer, stopServer } from "../testing/liveserver.mjs";

let srv;
before(async () => {
  srv = await startServer(["--max-body", String(64 * 1024), "--max-json-body", String(32 * 1024)]);
});
after(async () => { await stopServer(srv); });

async function player(opts = {}) {
  const c = new sc.Client(srv.url, opts);
  await c.register("jsbulk-" + randomBytes(5).toString("hex"));
  return c;
}

function matrix(rows, cols, f) {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = f(i, j);
  return { data, rows, cols };
}

for (const npy of [true, false]) {
  test(`score and logpdf split by the limits (npy ${npy})`, async () => {
    const seen = [];
    const c = await player({ npy, progress: (...a) => seen.push(a) });
    const inst = await c.createInstance("gaussian", { dim: 16 });
    const x = matrix(3000, 16, (i, j) => ((i * 31 + j * 7) % 97) / 13 - 3.5);
    const s = await c.score(inst.id, x);
    assert.equal(s.rows, 3000);
    assert.equal(s.cols, 16);
    assert.ok(s.data.every((v, k) => v === -x.data[k]));
    const lp = await c.logpdf(inst.id, x);
    assert.equal(lp.length, 3000);
    for (let i = 0; i < 3000; i += 499) {
      let q = 0;
      for (let j = 0; j < 16; j++) q += x.data[i * 16 + j] ** 2;
      const want = -0.5 * q - 8 * Math.log(2 * Math.PI);
      assert.ok(Math.abs(lp[i] - want) <= 1e-12 * Math.abs(want));
    }
    assert.ok(seen.filter((a) => a[0] === "scores").length >= 2);
    assert.deepEqual(seen.at(-1), ["logpdf", 3000, 3000]);
    assert.equal((await c.instance(inst.id)).used.score, 3000);
  });
}

test("samples split past max_samples, in stream order", async () => {
  const seen = [];
  const c = await player({ progress: (...a) => seen.push(a) });
  c.limitsCache = { ...(await c.limits()), max_samples: 1000 };
  const inst = await c.createInstance("gaussian", { dim: 3 });
  const x = await c.samples(inst.id, 2500);
  assert.equal(x.rows, 2500);
  assert.deepEqual(seen.map((a) => a[1]), [1000, 2000, 2500]);
  const firsts = new Set();
  for (let i = 0; i < 2500; i++) firsts.add(x.data[i * 3]);
  assert.equal(firsts.size, 2500);
  assert.equal((await c.instance(inst.id)).used.samples, 2500);
});

test("a body past the cap is PayloadTooLarge", async () => {
  const c = await player();
  const inst = await c.createInstance("gaussian", { dim: 8 });
  const body = sc.npyEncode(matrix(20000, 8, () => 0));
  await assert.rejects(c.request("POST", `/v1/instances/${inst.id}/score`,
    { raw: body, contentType: "application/x-npy" }), sc.PayloadTooLarge);
});

test("createChallenge sends rounds only when given", async () => {
  const c = await player();
  const info = await c.info();
  const preset = info.presets.find((p) => p.name === "pancakes-easy");
  const ch = await c.createChallenge("distinguish", undefined, undefined, { preset: "pancakes-easy" });
  assert.equal(ch.round_count, preset.rounds ?? 20);
  const three = await c.createChallenge("distinguish", undefined, 3, { preset: "pancakes-easy" });
  assert.equal(three.round_count, 3);
});
