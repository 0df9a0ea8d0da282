// The JavaScript client in a real browser: Debian's headless Chromium,
// driven by playwright-core, loads a page from one origin (a small static
// server here) that imports scoracle.mjs and talks to scoracled on another
// origin, so every call goes through CORS (JSON and NPY bodies, the
// Authorization header, preflights).  The page leaves its findings in
// window.__scoracle; this side checks them, independently where it can
// (the same points scored again from node, the commitment opened here too).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as sc from "../scoracle.mjs";
import { startServer, stopServer } from "../testing/liveserver.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MODULE = path.resolve(HERE, "../scoracle.mjs");
const CHROMIUM = process.env.SCORACLE_CHROMIUM || "/usr/bin/chromium";
// As root on a machine without a network: no sandbox, and none of
// Chromium's own background connections (they are refused, many at a time).
const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
const PAGE_TIMEOUT_MS = 20000;
const PARAMS = { dim: 4, gamma: 6, sigma: 0.05 };
const T = 0.3;

// MATH.md section 1 at OU time t, written out directly (a plain sum over a
// wide window of k with log-sum-exp): x -> {logpdf, score}.
function pancakes(u, gamma, sigma, t) {
  const ks = Array.from({ length: 121 }, (_, i) => i - 60);
  const logw = ks.map((k) => -Math.PI * k * k / (gamma * gamma));
  const lse = (a) => { const m = Math.max(...a); return m + Math.log(a.reduce((s, v) => s + Math.exp(v - m), 0)); };
  const logZg = lse(logw);
  const mu = ks.map((k) => Math.exp(-t) * Math.sqrt(2 * Math.PI) * k / (gamma * Math.sqrt(1 + sigma * sigma)));
  const v = 1 - Math.exp(-2 * t) / (1 + sigma * sigma);
  return (x) => {
    const z = x.reduce((s, xi, i) => s + xi * u[i], 0);
    const terms = mu.map((m, i) => logw[i] - logZg - (z - m) ** 2 / (2 * v) - 0.5 * Math.log(2 * Math.PI * v));
    const logp1 = lse(terms);
    const dlogp1 = terms.reduce((s, lt, i) => s + Math.exp(lt - logp1) * (mu[i] - z) / v, 0);
    const perp = x.map((xi, i) => xi - z * u[i]);
    const logpdf = -perp.reduce((s, p) => s + p * p, 0) / 2 - ((x.length - 1) / 2) * Math.log(2 * Math.PI) + logp1;
    return { logpdf, score: perp.map((p, i) => -p + dlogp1 * u[i]) };
  };
}

function close(got, want, what) {
  assert.ok(Math.abs(got - want) <= 1e-9 * (1 + Math.abs(want)), `${what}: got ${got}, MATH.md gives ${want}`);
}

// The page: imports the module dynamically so that a module that fails to
// load in a browser is reported like any other failure.
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>scoracle in a browser</title></head>
<body><pre id="result">running</pre>
<script type="module">
const api = new URLSearchParams(location.search).get("api");
const out = { origin: location.origin, api };
const done = (r) => {
  document.getElementById("result").textContent = JSON.stringify(r);
  window.__scoracle = r;
};
try {
  const sc = await import("/scoracle.mjs");
  const c = new sc.Client(api);
  const me = await c.register("browser-" + crypto.randomUUID().slice(0, 8));
  out.player = { id: me.id, role: me.role, token: c.token === me.token && !!me.token };
  const inst = await c.createInstance("pancakes", ${JSON.stringify(PARAMS)});
  out.instance = { id: inst.id, dim: inst.dim, commitment: inst.commitment };
  const mat = (m) => ({ f64: m.data instanceof Float64Array, rows: m.rows, cols: m.cols,
    data: Array.from(m.data) });
  const xn = await c.samples(inst.id, 8);
  const xj = await c.samples(inst.id, 3, { npy: false });
  out.samples = { npy: mat(xn), json: mat(xj) };
  out.score = {
    npy: mat(await c.score(inst.id, xn, { t: ${T}, npy: true })),
    json: mat(await c.score(inst.id, xn, { t: ${T}, npy: false })),
  };
  const lp = await c.logpdf(inst.id, xn, { t: ${T} });
  out.logpdf = { f64: lp instanceof Float64Array, data: Array.from(lp) };
  const rev = await c.reveal(inst.id);
  out.reveal = rev;
  out.opened = sc.openInstance(inst.id, rev, inst.commitment);
  const u = [...rev.secret.u];
  u[0] += 1e-9;
  try {
    sc.openInstance(inst.id, { ...rev, secret: { u } }, inst.commitment);
    out.tampered = "opened";
  } catch (e) {
    out.tampered = e instanceof sc.VerificationError ? "VerificationError" : String(e);
  }
  try {
    await c.createInstance("pancakes", { dim: 2, gamma: 6, sigma: -1 });
    out.invalid = "accepted";
  } catch (e) {
    out.invalid = { cls: e.constructor.name, typed: e instanceof sc.InvalidParameters,
      api: e instanceof sc.ApiError, status: e.status, slug: e.slug,
      fields: Object.keys(e.fieldErrors || {}) };
  }
  out.ok = true;
} catch (e) {
  out.ok = false;
  out.error = { name: e && e.name, message: String(e && e.message), stack: String(e && e.stack) };
}
done(out);
</script></body></html>
`;

// Serves the page and the module, nothing else, from 127.0.0.1:0.
function startStatic() {
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    let body;
    let type;
    if (url.pathname === "/") { body = PAGE; type = "text/html; charset=utf-8"; }
    else if (url.pathname === "/scoracle.mjs") {
      body = fs.readFileSync(MODULE);
      type = "text/javascript; charset=utf-8";
    } else { res.writeHead(404).end(); return; }
    res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-store" }).end(body);
  });
  return new Promise((resolve) => {
    srv.listen(0, "127.0.0.1", () => resolve(srv));
  });
}

let api;
let site;
let browser;
let result;
const log = [];

before(async () => {
  let chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch (e) {
    throw new Error(`playwright-core is not installed (npm ci in clients/js): ${e.message}`);
  }
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: scripts/deps.sh installs Debian's chromium`);
  }
  api = await startServer();
  site = await startStatic();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const tab = await browser.newPage();
  tab.on("console", (m) => log.push(`console.${m.type()}: ${m.text()}`));
  tab.on("pageerror", (e) => log.push(`pageerror: ${e.message}`));
  tab.on("requestfailed", (r) => log.push(`requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
  const pageUrl = `http://127.0.0.1:${site.address().port}/?api=${encodeURIComponent(api.url)}`;
  await tab.goto(pageUrl);
  try {
    await tab.waitForFunction(() => window.__scoracle !== undefined, null, { timeout: PAGE_TIMEOUT_MS });
  } catch (e) {
    throw new Error(`the page left no result within ${PAGE_TIMEOUT_MS} ms (${e.message})\n${log.join("\n")}`);
  }
  result = await tab.evaluate(() => window.__scoracle);
  const shown = JSON.parse(await tab.textContent("#result"));
  assert.deepEqual(shown, result, "the DOM and window.__scoracle disagree");
});

after(async () => {
  if (browser) await browser.close();
  if (site) await new Promise((resolve) => site.close(resolve));
  if (api) await stopServer(api);
});

const failure = () => (result.ok ? "" : `the page failed: ${result.error.name}: ` +
  `${result.error.message}\n${result.error.stack}\n${log.join("\n")}`);

test("the page ran the whole scenario, cross-origin", () => {
  assert.ok(result.ok, failure());
  assert.notEqual(new URL(result.origin).origin, new URL(result.api).origin);
  assert.equal(result.player.role, "player");
  assert.ok(result.player.token, "register kept the token");
  // The browser asked before each kind of cross-origin call, and was let in.
  const lines = fs.readFileSync(path.join(api.dir, "access.log"), "utf8").trim().split("\n").map(JSON.parse);
  const preflights = new Set(lines.filter((l) => l.method === "OPTIONS" && l.status === 204).map((l) => l.route));
  for (const r of ["/v1/players", "/v1/instances", "/v1/instances/{id}/score"]) assert.ok(preflights.has(r), `no preflight of ${r}`);
});

test("samples come back as Float64Array matrices, NPY and JSON", () => {
  assert.ok(result.ok, failure());
  const dim = result.instance.dim;
  assert.equal(dim, 4);
  for (const [m, rows] of [[result.samples.npy, 8], [result.samples.json, 3]]) {
    assert.ok(m.f64);
    assert.equal(m.rows, rows);
    assert.equal(m.cols, dim);
    assert.equal(m.data.length, rows * dim);
    assert.ok(m.data.every(Number.isFinite));
  }
});

test("scores and log-densities: NPY and JSON agree, and match MATH.md for the revealed u", () => {
  assert.ok(result.ok, failure());
  const { npy, json } = result.score;
  for (const m of [npy, json]) {
    assert.ok(m.f64);
    assert.equal(m.rows, 8);
    assert.equal(m.cols, 4);
  }
  assert.deepEqual(npy.data, json.data);
  assert.ok(result.logpdf.f64);
  assert.equal(result.logpdf.data.length, 8);
  const x = result.samples.npy;
  const ref = pancakes(result.reveal.secret.u, PARAMS.gamma, PARAMS.sigma, T);
  for (let i = 0; i < x.rows; i++) {
    const xi = x.data.slice(i * x.cols, (i + 1) * x.cols);
    const want = ref(xi);
    close(result.logpdf.data[i], want.logpdf, `logpdf of point ${i}`);
    want.score.forEach((v, j) => close(npy.data[i * x.cols + j], v, `score[${i}][${j}]`));
  }
});

test("the reveal opens the commitment, in the page and here", () => {
  assert.ok(result.ok, failure());
  const { id, commitment } = result.instance;
  assert.match(commitment, /^[0-9a-f]{64}$/);
  assert.deepEqual(result.opened, result.reveal.secret);
  assert.deepEqual(sc.openInstance(id, result.reveal, commitment), result.reveal.secret);
  assert.equal(result.reveal.secret.u.length, 4);
  assert.equal(result.tampered, "VerificationError");
});

test("a 422 arrives as the typed InvalidParameters", () => {
  assert.ok(result.ok, failure());
  assert.deepEqual(result.invalid, {
    cls: "InvalidParameters", typed: true, api: true, status: 422,
    slug: "invalid-parameters", fields: result.invalid.fields,
  });
  assert.ok(result.invalid.fields.includes("sigma"));
});
