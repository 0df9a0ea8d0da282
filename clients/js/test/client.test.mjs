// The JavaScript client against a live scoracled (started here on a free
// port of 127.0.0.1 with a temporary state directory).  Every JSON answer
// is recorded and, in the last test, validated against proto/openapi.yaml
// by tests/http/openapi_check.py.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, randomBytes, generateKeyPairSync, sign } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import * as sc from "../scoracle.mjs";
import { ROOT, startServer as start, stopServer } from "../testing/liveserver.mjs";

const VECTORS = path.join(ROOT, "tests/vectors");
const ADMIN = "js-admin-token-" + "y".repeat(24);
const startServer = (extra = []) => start(extra, { SCORACLE_ADMIN_TOKEN: ADMIN });

let proc;
let stateDir;
let baseUrl;
const seen = [];

let srv;
before(async () => {
  srv = await startServer();
  baseUrl = srv.url;
});
after(async () => { await stopServer(srv); });

function record(method, route, status, body) {
  if (body && typeof body === "object" && !(body instanceof Uint8Array)) {
    seen.push({ method, route, status, body });
  }
}

async function player(opts = {}) {
  const c = new sc.Client(baseUrl, { onResponse: record, ...opts });
  await c.register("js-" + randomBytes(6).toString("hex"));
  return c;
}

const vectors = () => JSON.parse(fs.readFileSync(path.join(VECTORS, "crypto.json")));

test("healthz, info, metrics, openapi", async () => {
  const c = new sc.Client(baseUrl, { onResponse: record });
  assert.deepEqual(await c.healthz(), { status: "ok" });
  const info = await c.info();
  assert.equal(info.api, "v1");
  for (const f of ["gaussian", "pancakes", "gmm", "owf"]) assert.ok(info.families.includes(f));
  assert.match(await c.metrics(), /# TYPE/);
  assert.match(await c.openapi(), /^openapi:/m);
});

test("register, me, duplicate names, bad tokens", async () => {
  const c = new sc.Client(baseUrl, { onResponse: record });
  const name = "js-" + randomBytes(5).toString("hex");
  const out = await c.register(name);
  assert.equal(c.token, out.token);
  assert.equal((await c.me()).id, out.id);
  await assert.rejects(new sc.Client(baseUrl).register(name), sc.Conflict);
  const bad = new sc.Client(baseUrl, { token: "not-a-token-0123456789" });
  await assert.rejects(bad.me(), (e) => e instanceof sc.Unauthorized && e.status === 401);
});

test("instructors need a privileged token", async () => {
  const c = await player();
  await assert.rejects(c.register("i-" + randomBytes(4).toString("hex"), "instructor"),
    (e) => e instanceof sc.Forbidden || e instanceof sc.Unauthorized);
  const admin = new sc.Client(baseUrl, { token: ADMIN, onResponse: record });
  const out = await admin.register("i-" + randomBytes(4).toString("hex"), "instructor");
  assert.equal(out.role, "instructor");
});

for (const [family, params] of [
  ["gaussian", { dim: 3 }],
  ["pancakes", { dim: 4, gamma: 6, sigma: 0.05 }],
  ["gmm", { dim: 3, components: 2 }],
  ["owf", { seed_bits: 4, image_bits: 4 }],
]) {
  test(`${family}: every oracle, reveal, commitment`, async () => {
    const c = await player();
    const inst = await c.createInstance(family, params);
    assert.equal((await c.instance(inst.id)).commitment, inst.commitment);
    const x = await c.samples(inst.id, 5);
    assert.ok(x.data instanceof Float64Array);
    assert.equal(x.rows, 5);
    assert.equal(x.cols, inst.dim);
    const s = await c.score(inst.id, x, { t: 0.3 });
    assert.equal(s.data.length, 5 * inst.dim);
    const lp = await c.logpdf(inst.id, x, { t: 0.3 });
    assert.ok(lp instanceof Float64Array && lp.length === 5 && lp.every(Number.isFinite));
    const rev = await c.reveal(inst.id);
    assert.deepEqual(sc.openInstance(inst.id, rev, inst.commitment), rev.secret);
    await assert.rejects(c.reveal(inst.id), sc.Conflict);
    if (family === "pancakes") {
      const u = [...rev.secret.u];
      u[0] += 1e-9;
      assert.throws(() => sc.openInstance(inst.id, { ...rev, secret: { u } }, inst.commitment),
        sc.VerificationError);
    }
  });
}

test("JSON and NPY carry the same numbers", async () => {
  const c = await player();
  const inst = await c.createInstance("pancakes", { dim: 3, gamma: 4, sigma: 0.1 });
  const xn = await c.samples(inst.id, 4, { npy: true });
  const xj = await c.samples(inst.id, 4, { npy: false });
  assert.equal(xj.rows, 4);
  for (const x of [xn, xj]) {
    const a = await c.score(inst.id, x, { t: 0.2, npy: true });
    const b = await c.score(inst.id, x, { t: 0.2, npy: false });
    assert.deepEqual(Array.from(a.data), Array.from(b.data));
    const la = await c.logpdf(inst.id, sc.matrixRows(x), { npy: true });
    const lb = await c.logpdf(inst.id, x, { npy: false });
    assert.deepEqual(Array.from(la), Array.from(lb));
  }
});

test("the null's score is -x", async () => {
  const c = await player();
  const inst = await c.createInstance("gaussian", { dim: 2 });
  const x = await c.samples(inst.id, 3);
  const s = await c.score(inst.id, x);
  assert.deepEqual(Array.from(s.data), Array.from(x.data, (v) => -v));
});

test("budget exhausted says what is left and spends nothing", async () => {
  const c = await player();
  const inst = await c.createInstance("gaussian", { dim: 2, budget: { samples: 10 } });
  await c.samples(inst.id, 7);
  await assert.rejects(c.samples(inst.id, 4), (e) => {
    assert.ok(e instanceof sc.BudgetExhausted);
    assert.equal(e.status, 429);
    assert.equal(e.remaining.samples, 3);
    assert.equal(e.remaining.score, null);
    return true;
  });
  assert.equal((await c.instance(inst.id)).used.samples, 7);
});

test("invalid parameters, NaN, dimensions", async () => {
  const c = await player();
  await assert.rejects(c.createInstance("pancakes", { dim: 2, gamma: 6, sigma: -1 }),
    (e) => e instanceof sc.InvalidParameters && "sigma" in e.fieldErrors);
  const inst = await c.createInstance("gaussian", { dim: 3 });
  await assert.rejects(c.score(inst.id, [[1, 2]]), sc.InvalidParameters);
  await assert.rejects(c.score(inst.id, [[1, 2, NaN]], { npy: true }), sc.InvalidParameters);
  await assert.rejects(c.score(inst.id, [[1, 2, NaN]], { npy: false }), TypeError);
});

test("not found, forbidden, protocol errors", async () => {
  const a = await player();
  const b = await player();
  const inst = await a.createInstance("gaussian", { dim: 2 });
  await assert.rejects(a.instance("in_" + "0".repeat(24)), sc.NotFound);
  await assert.rejects(b.instance(inst.id), sc.Forbidden);
  await assert.rejects(a.request("DELETE", "/v1/instances"),
    (e) => e instanceof sc.MethodNotAllowed && e.allow.includes("POST"));
  await assert.rejects(a.request("POST", "/v1/instances", { raw: "x", contentType: "text/plain" }),
    sc.UnsupportedMediaType);
  await assert.rejects(a.request("POST", "/v1/instances", { raw: "{", contentType: "application/json" }),
    sc.MalformedRequest);
});

test("payload too large", async () => {
  const small = await startServer(["--max-body", "4096"]);
  try {
    const c = new sc.Client(small.url);
    await c.register("big");
    const inst = await c.createInstance("gaussian", { dim: 64 });
    const m = { data: new Float64Array(64 * 64).fill(1), rows: 64, cols: 64 };
    // score splits by the published cap; a raw body past it is a 413.
    const s = await c.score(inst.id, m);
    assert.ok(s.rows === 64 && s.data.every((v) => v === -1));
    await assert.rejects(c.request("POST", `/v1/instances/${inst.id}/score`,
      { raw: sc.npyEncode(m), contentType: "application/x-npy" }), sc.PayloadTooLarge);
  } finally {
    await stopServer(small);
  }
});

test("503 is retried a bounded number of times", async () => {
  let calls = 0;
  const flaky = (fails) => async () => {
    calls++;
    if (calls <= fails) {
      return new Response(JSON.stringify({ type: "urn:scoracle:problem:overloaded", status: 503, title: "Overloaded" }),
        { status: 503, headers: { "content-type": "application/problem+json", "retry-after": "0" } });
    }
    return new Response('{"status":"ok"}', { status: 200, headers: { "content-type": "application/json" } });
  };
  assert.deepEqual(await new sc.Client("http://x.invalid", { fetch: flaky(2), retries: 3 }).healthz(), { status: "ok" });
  assert.equal(calls, 3);
  calls = 0;
  await assert.rejects(new sc.Client("http://x.invalid", { fetch: flaky(10), retries: 2 }).healthz(),
    (e) => e instanceof sc.Overloaded && e.retryAfter === 0);
  assert.equal(calls, 3);
  await assert.rejects(new sc.Client("http://127.0.0.1:1").healthz(), sc.TransportError);
});

test("BLAKE2b matches node's blake2b512 and the shared vectors", () => {
  for (const n of [0, 1, 111, 127, 128, 129, 256, 1000]) {
    const m = randomBytes(n);
    assert.equal(sc.hexOf(sc.blake2b(new Uint8Array(m))),
      createHash("blake2b512").update(m).digest("hex"));
  }
  const v = vectors();
  const ic = v.instance_commitment;
  assert.equal(sc.hexOf(sc.secretBytes(ic.secret)), ic.secret_bytes_hex);
  assert.equal(sc.instanceCommitment(ic.id, ic.secret, ic.salt), ic.commitment);
  const cc = v.challenge_commitment;
  assert.equal(sc.challengeCommitment(cc.id, cc.coins, cc.round_commitments, cc.salt), cc.commitment);
  for (const c of v.owf_f.cases) {
    assert.deepEqual(sc.owfF(v.owf_f.f_key, c.seed, c.seed_bits, c.image_bits), c.f);
    assert.deepEqual(sc.owfF(v.owf_f.f_key, c.seed_hex, c.seed_bits, c.image_bits), c.f);
    assert.equal(sc.seedHex(c.seed), c.seed_hex);
  }
});

test("NPY bytes match numpy's layout", () => {
  const m = sc.toMatrix([[1, 2, 3], [4, 5, 6]]);
  const bytes = sc.npyEncode(m);
  const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
  assert.equal((10 + header.length + 1 + (bytes.length - 10 - 48 - header.length - 1)) % 64, 0);
  assert.equal(Buffer.from(bytes.subarray(10, 10 + header.length)).toString("latin1"), header);
  const py = spawnSync("/usr/bin/python3", ["-c",
    "import io,sys,numpy as np;b=io.BytesIO();np.save(b,np.array([[1,2,3],[4,5,6.]]));sys.stdout.buffer.write(b.getvalue())"]);
  assert.equal(py.status, 0);
  assert.deepEqual(Buffer.from(bytes), py.stdout);
  const back = sc.npyDecode(py.stdout);
  assert.deepEqual(Array.from(back.data), [1, 2, 3, 4, 5, 6]);
  assert.throws(() => sc.npyDecode(bytes.subarray(0, bytes.length - 1)), TypeError);
  assert.deepEqual(Array.from(sc.npyDecode(sc.npyEncode(new Float64Array([0.5, -2])))), [0.5, -2]);
});

test("receipts verify with WebCrypto Ed25519; a changed byte does not", async () => {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  const payload = Buffer.from(JSON.stringify({ challenge: "ch_1" }));
  const receipt = { payload: payload.toString("base64"), signature: sign(null, payload, privateKey).toString("base64") };
  const key = Buffer.from(raw).toString("base64");
  assert.equal((await sc.verifyReceipt(receipt, key)).challenge, "ch_1");
  const bad = Buffer.from(payload);
  bad[2] ^= 1;
  await assert.rejects(sc.verifyReceipt({ ...receipt, payload: bad.toString("base64") }, key), sc.VerificationError);
});

test("challenge: play, finish, open the commitment, verify the receipt", async () => {
  const c = await player();
  const ch = await c.createChallenge("distinguish", { family: "pancakes", dim: 8, gamma: 3, sigma: 0.05 }, 4);
  const listed = await c.challenges();
  assert.ok((listed.challenges || listed).some((x) => x.id === ch.id));
  const view = await c.challenge(ch.id);
  const other = await player();
  await assert.rejects(other.challenge(ch.id), (e) => e instanceof sc.Forbidden || e instanceof sc.NotFound);
  let last;
  for (const r of view.rounds.slice(0, 3)) {
    // The certificate of Gaussianity at t = 0.01.
    const z = sc.toMatrix(Array.from({ length: 32 }, () => Array.from({ length: 8 }, gauss)));
    const s = await c.score(r.instance.id, z, { t: 0.01 });
    let delta = 0;
    for (let i = 0; i < s.data.length; i++) delta += (s.data[i] + z.data[i]) ** 2;
    last = await c.answer(ch.id, r.index, { guess: delta / 32 > 1 ? "planted" : "null" });
  }
  assert.equal(last.status, "open");
  await assert.rejects(c.answer(ch.id, 0, { guess: "null" }), sc.Conflict);
  const fin = await c.finish(ch.id);
  await assert.rejects(c.finish(ch.id), sc.Conflict);
  assert.equal(sc.openChallenge(view, fin).length, 4);
  const payload = await sc.verifyReceipt(fin.receipt, (await c.info()).receipt_key);
  assert.equal(payload.challenge, ch.id);
  assert.equal(fin.result.correct, 3);
  const flipped = { ...fin.reveal, rounds: fin.reveal.rounds.map((r) => ({ ...r, planted: !r.planted })) };
  assert.throws(() => sc.openChallenge(view, { reveal: flipped }), sc.VerificationError);
  assert.ok(await c.leaderboard("distinguish"));
});

test("posterior round solved by brute force through owfF", async () => {
  const c = await player();
  const ch = await c.createChallenge("posterior", { family: "owf", seed_bits: 6, image_bits: 8 }, 1);
  const view = await c.challenge(ch.id);
  const r = view.rounds[0];
  const p = r.instance.params;
  let out;
  for (let x = 0; x < 1 << p.seed_bits && !out; x++) {
    const bits = Array.from({ length: p.seed_bits }, (_, i) => (x >> i) & 1);
    if (sc.inverts(p, r.y, { seed: bits })) out = await c.answer(ch.id, 0, { seed: sc.seedHex(bits) });
  }
  assert.equal(out.status, "finished");
  assert.equal(out.result.success_rate, 1);
  sc.openChallenge(view, out);
});

test("score and density rounds answered by the oracle through evaluate", async () => {
  const c = await player();
  for (const [kind, op, field] of [["score", "score", "scores"], ["density", "logpdf", "logpdf"]]) {
    const ch = await c.createChallenge(kind, { family: "pancakes", dim: 4, gamma: 3, sigma: 0.3 }, 1);
    const r = (await c.challenge(ch.id)).rounds[0];
    assert.equal(r.eval, undefined);
    const ev = await c.roundEval(ch.id, 0);
    const inline = (await c.challenge(ch.id, { eval: true })).rounds[0].eval;
    assert.deepEqual(ev.t, inline.t);
    assert.deepEqual(Array.from(ev.points.data), inline.points.flat());
    const ans = await c.evaluate(r.instance.id, ev, op);
    const out = await c.answer(ch.id, 0, { [field]: ans });
    assert.equal(out.status, "finished");
    if (kind === "score") assert.ok(out.result.error < 1e-12 && out.result.error_gauss > 0);
    else assert.equal(out.result.pac_fraction, 1);
  }
});

test("classes: instructor, join, assignment, results", async () => {
  const admin = new sc.Client(baseUrl, { token: ADMIN, onResponse: record });
  const made = await admin.register("teach-" + randomBytes(4).toString("hex"), "instructor");
  const teacher = new sc.Client(baseUrl, { token: made.token, onResponse: record });
  const klass = await teacher.createClass("js-class");
  const student = new sc.Client(baseUrl, { onResponse: record });
  await student.joinClass(klass.join_code, "stu-" + randomBytes(4).toString("hex"));
  assert.ok(student.token);
  await teacher.createAssignment(klass.id, {
    kind: "distinguish", rounds: 2, instance: { family: "pancakes", dim: 4, gamma: 3, sigma: 0.05 },
  });
  const mine = await student.challenges();
  assert.equal((mine.challenges || mine).length, 1);
  assert.ok(await teacher.classResults(klass.id));
  const csv = await teacher.classResults(klass.id, { csv: true });
  assert.match(csv.split("\n")[0], /,/);
  await assert.rejects(student.classResults(klass.id), sc.Forbidden);
});

function gauss() {
  const u = 1 - Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
}

test("every JSON answer of these tests matches proto/openapi.yaml", () => {
  const checker = path.join(ROOT, "tests/http/openapi_check.py");
  assert.ok(seen.length > 20);
  const file = path.join(os.tmpdir(), `scoracle-js-answers-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(seen));
  const py = spawnSync("/usr/bin/python3", ["-c", `
import json, sys
sys.path.insert(0, ${JSON.stringify(path.dirname(checker))})
from openapi_check import validate_response
bad = []
for a in json.load(open(sys.argv[1])):
    try:
        validate_response(a["method"], a["route"], a["status"], a["body"])
    except AssertionError as e:
        bad.append(str(e))
print("\\n".join(sorted(set(bad))))
sys.exit(1 if bad else 0)
`, file], { encoding: "utf8" });
  fs.rmSync(file);
  assert.equal(py.status, 0, py.stdout + py.stderr);
});
