// scoracle.mjs: a client for the scoracle score-oracle server, in one ES
// module for Node 20+ and browsers, with no dependencies.
//
//   import { Client, openInstance } from "./scoracle.mjs";
//   const c = new Client("http://127.0.0.1:8080");
//   await c.register("alice");
//   const inst = await c.createInstance("pancakes", { dim: 2, gamma: 6, sigma: 0.05 });
//   const x = await c.samples(inst.id, 1000);      // Matrix {data: Float64Array, rows, cols}
//   const s = await c.score(inst.id, x, { t: 0.1 });
//   await openInstance(inst.id, await c.reveal(inst.id), inst.commitment);
//
// Matrices travel as NPY (application/x-npy) by default and come back as
// {data: Float64Array, rows, cols}; log-densities as a Float64Array.
// Errors are the typed classes below, built from the server's problem
// details.  Verification helpers: BLAKE2b (RFC 7693, written here because
// Node's crypto has no keyed BLAKE2b-256 and a bare npm import would not
// load in a browser), Ed25519 through WebCrypto.

// ---------------------------------------------------------------- errors

export class ScoracleError extends Error {}
export class TransportError extends ScoracleError {}
export class VerificationError extends ScoracleError {}
export class VerificationUnavailable extends ScoracleError {}

const PROBLEM_PREFIX = "urn:scoracle:problem:";

// An error answer: status, type, slug, title, detail, problem, headers.
export class ApiError extends ScoracleError {
  constructor(status, problem, headers) {
    super(`${status} ${problem.detail || problem.title || "HTTP " + status}`);
    this.name = new.target.name;
    this.status = status;
    this.problem = problem;
    this.type = problem.type || "about:blank";
    this.slug = this.type.startsWith(PROBLEM_PREFIX)
      ? this.type.slice(PROBLEM_PREFIX.length) : null;
    this.title = problem.title || "";
    this.detail = problem.detail || "";
    this.headers = headers || {};
  }
  get retryAfter() {
    const v = this.headers["retry-after"];
    return v === undefined ? null : Number(v);
  }
}
export class MalformedRequest extends ApiError {}
export class Unauthorized extends ApiError {}
export class Forbidden extends ApiError {}
export class NotFound extends ApiError {}
export class MethodNotAllowed extends ApiError {
  get allow() {
    return (this.headers.allow || "").split(",").map((s) => s.trim())
      .filter(Boolean);
  }
}
export class Conflict extends ApiError {}
export class PayloadTooLarge extends ApiError {}
export class UnsupportedMediaType extends ApiError {}
// 422; errors is the server's [{field, message}], fieldErrors a map.
export class InvalidParameters extends ApiError {
  get errors() { return this.problem.errors || []; }
  get fieldErrors() {
    return Object.fromEntries(this.errors.map((e) => [e.field, e.message]));
  }
}
// 429 budget: remaining is {samples, score, logpdf}, null = no limit.
export class BudgetExhausted extends ApiError {
  get remaining() { return this.problem.remaining || {}; }
}
export class RateLimited extends ApiError {}
export class Overloaded extends ApiError {}
export class ServerError extends ApiError {}

const BY_SLUG = {
  "malformed-request": MalformedRequest, unauthorized: Unauthorized,
  forbidden: Forbidden, "not-found": NotFound,
  "method-not-allowed": MethodNotAllowed, conflict: Conflict,
  "payload-too-large": PayloadTooLarge,
  "unsupported-media-type": UnsupportedMediaType,
  "invalid-parameters": InvalidParameters,
  "budget-exhausted": BudgetExhausted, "rate-limited": RateLimited,
  overloaded: Overloaded, internal: ServerError,
};
const BY_STATUS = {
  400: MalformedRequest, 401: Unauthorized, 403: Forbidden, 404: NotFound,
  405: MethodNotAllowed, 409: Conflict, 413: PayloadTooLarge,
  415: UnsupportedMediaType, 422: InvalidParameters, 429: RateLimited,
  503: Overloaded,
};

// The exception for an error answer: by problem slug, else by status.
export function fromProblem(status, problem, headers) {
  const p = problem && typeof problem === "object" ? problem
    : { detail: String(problem) };
  const t = p.type || "";
  const Cls = (t.startsWith(PROBLEM_PREFIX) && BY_SLUG[t.slice(PROBLEM_PREFIX.length)])
    || BY_STATUS[status] || (status >= 500 ? ServerError : ApiError);
  return new Cls(status, p, headers);
}

// ---------------------------------------------------------------- matrices

// A matrix is {data: Float64Array (row-major), rows, cols}.  Accepts that,
// an array of rows, or an array of Float64Array rows.
export function toMatrix(points) {
  if (points && points.data instanceof Float64Array) return points;
  if (!Array.isArray(points) || points.length === 0) {
    throw new TypeError("points must be a matrix {data, rows, cols} or a non-empty array of rows");
  }
  const rows = points.length;
  const cols = points[0].length;
  const data = new Float64Array(rows * cols);
  points.forEach((r, i) => {
    if (r.length !== cols) throw new TypeError(`row ${i} has ${r.length} numbers, row 0 has ${cols}`);
    data.set(r, i * cols);
  });
  return { data, rows, cols };
}

// The rows of a matrix as plain arrays (for JSON or display).
export function matrixRows(m) {
  const out = [];
  for (let i = 0; i < m.rows; i++) {
    out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  }
  return out;
}

// ---------------------------------------------------------------- NPY

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

// NPY v1.0 bytes of a Matrix or a Float64Array vector ('<f8', C order).
export function npyEncode(value) {
  const isVec = value instanceof Float64Array;
  const data = isVec ? value : value.data;
  const shape = isVec ? `(${data.length},)` : `(${value.rows}, ${value.cols})`;
  let text = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shape}, }`;
  const pad = (64 - ((10 + text.length + 1) % 64)) % 64;
  text += " ".repeat(pad) + "\n";
  const out = new Uint8Array(10 + text.length + data.length * 8);
  out.set(NPY_MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, text.length, true);
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  const dv = new DataView(out.buffer, 10 + text.length);
  for (let i = 0; i < data.length; i++) dv.setFloat64(i * 8, data[i], true);
  return out;
}

// Decodes NPY bytes: a Matrix for 2-D, a Float64Array for 1-D.
export function npyDecode(bytes) {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (b.length < 10 || NPY_MAGIC.some((v, i) => b[i] !== v)) {
    throw new TypeError("not an NPY file (bad magic)");
  }
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let start, hlen;
  if (b[6] === 1) { hlen = view.getUint16(8, true); start = 10; }
  else if (b[6] === 2 || b[6] === 3) { hlen = view.getUint32(8, true); start = 12; }
  else throw new TypeError(`unsupported NPY version ${b[6]}`);
  if (b.length < start + hlen) throw new TypeError("truncated NPY header");
  const header = String.fromCharCode(...b.subarray(start, start + hlen));
  if (!/'descr':\s*'<f8'/.test(header) || !/'fortran_order':\s*False/.test(header)) {
    throw new TypeError("only '<f8' in C order is supported");
  }
  const m = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!m) throw new TypeError("NPY header has no shape");
  const shape = m[1].split(",").map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.length < 1 || shape.length > 2 || shape.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new TypeError(`NPY shape (${m[1]}) is not a vector or a matrix`);
  }
  const count = shape.reduce((a, s) => a * s, 1);
  const off = start + hlen;
  if (b.length - off !== count * 8) {
    throw new TypeError(`NPY data holds ${b.length - off} bytes, shape needs ${count * 8}`);
  }
  const data = new Float64Array(count);
  const dv = new DataView(b.buffer, b.byteOffset + off, count * 8);
  for (let i = 0; i < count; i++) data[i] = dv.getFloat64(i * 8, true);
  return shape.length === 1 ? data : { data, rows: shape[0], cols: shape[1] };
}

// ---------------------------------------------------------------- client

const NPY_TYPE = "application/x-npy";
const JSON_TYPE = "application/json";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function jsonBody(obj) {
  return JSON.stringify(obj, (k, v) => {
    if (v instanceof Float64Array) return Array.from(v);
    if (v && v.data instanceof Float64Array && "cols" in v) return matrixRows(v);
    if (typeof v === "number" && !Number.isFinite(v)) {
      throw new TypeError(`${k || "a value"} is not finite`);
    }
    return v;
  });
}

const seg = (s) => encodeURIComponent(String(s));

// One server.  Options: token, retries (503s retried, default 4), maxWait
// (seconds, caps Retry-After), npy (bulk calls as NPY, default true),
// onResponse(method, route, status, body) seen for every answer,
// progress(what, done, total) after each request of a split bulk call,
// fetch.  Bulk calls (samples, score, logpdf) are split by the limits of
// /v1/info, so any number of points works; a body over the server's cap
// throws PayloadTooLarge.
export class Client {
  constructor(url = "http://127.0.0.1:8080", opts = {}) {
    this.url = url.replace(/\/+$/, "");
    this.token = opts.token ?? null;
    this.retries = opts.retries ?? 4;
    this.maxWait = opts.maxWait ?? 30;
    this.npy = opts.npy ?? true;
    this.onResponse = opts.onResponse ?? null;
    this.progress = opts.progress ?? null;
    this.fetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.limitsCache = null;
  }

  // /v1/info's limits, asked once per client.
  async limits() {
    if (!this.limitsCache) this.limitsCache = (await this.info()).limits || {};
    return this.limitsCache;
  }

  // Rows of dim doubles one request may carry: wire "npy" (a body of
  // doubles), "json" (text, up to 25 bytes a number) or "samples".
  async rowsPerRequest(dim, wire) {
    const lim = await this.limits();
    const d = Math.max(1, dim);
    const caps = [Math.floor((lim.max_points ?? 2 ** 24) / d)];
    if (wire === "npy") caps.push(Math.floor(((lim.max_body_bytes ?? 2 ** 30) - 256) / (8 * d)));
    else if (wire === "json") caps.push(Math.floor((lim.max_json_body_bytes ?? 2 ** 30) / (25 * d + 4)));
    else caps.push(lim.max_samples ?? 2 ** 24);
    return Math.max(1, Math.min(...caps));
  }

  // call(start, stop) over consecutive slices of n rows, at most per each;
  // progress after each when split.  Answers the parts in order.
  async split(what, n, per, call) {
    if (n <= per) return [await call(0, n)];
    const parts = [];
    for (let start = 0; start < n; start += per) {
      const stop = Math.min(n, start + per);
      parts.push(await call(start, stop));
      if (this.progress) this.progress(what, stop, n);
    }
    return parts;
  }

  // Sends one request; answers {status, headers, body}; throws the typed
  // error for an error status.  route is reported to onResponse.
  async request(method, path, { json, raw, contentType, accept = JSON_TYPE,
    query, auth = true, route } = {}) {
    let target = this.url + path;
    if (query) {
      const q = Object.entries(query).filter(([, v]) => v !== undefined && v !== null);
      if (q.length) target += "?" + new URLSearchParams(q.map(([k, v]) => [k, String(v)]));
    }
    const headers = { Accept: accept };
    let body;
    if (json !== undefined) { body = jsonBody(json); headers["Content-Type"] = JSON_TYPE; }
    else if (raw !== undefined) { body = raw; headers["Content-Type"] = contentType; }
    if (auth && this.token) headers.Authorization = "Bearer " + this.token;
    let resp;
    for (let attempt = 0; ; attempt++) {
      try {
        resp = await this.fetch(target, { method, headers, body });
      } catch (e) {
        throw await this.transportError(method, path, body, e);
      }
      if (resp.status !== 503 || attempt >= this.retries) break;
      const ra = Number(resp.headers.get("retry-after"));
      await resp.arrayBuffer();
      const wait = Number.isFinite(ra) && resp.headers.has("retry-after") ? ra : 0.25 * 2 ** attempt;
      await sleep(1000 * Math.max(0, Math.min(wait, this.maxWait)));
    }
    const hdrs = {};
    resp.headers.forEach((v, k) => { hdrs[k.toLowerCase()] = v; });
    const ctype = (hdrs["content-type"] || "").split(";")[0].trim().toLowerCase();
    let out;
    if (ctype === NPY_TYPE) out = new Uint8Array(await resp.arrayBuffer());
    else if (ctype.endsWith("json")) {
      const text = await resp.text();
      try { out = text ? JSON.parse(text) : null; }
      catch { throw new TransportError(`HTTP ${resp.status}: body is not JSON`); }
    } else out = await resp.text();
    if (this.onResponse) this.onResponse(method, route || path, resp.status, out);
    if (resp.status >= 400) {
      const problem = out && typeof out === "object" && !(out instanceof Uint8Array)
        ? out : { status: resp.status, detail: String(out).slice(0, 200) };
      throw fromProblem(resp.status, problem, hdrs);
    }
    return { status: resp.status, headers: hdrs, body: out, contentType: ctype };
  }

  // A failed exchange: a body past the server's published cap was cut
  // short by its 413, so say that; anything else is a TransportError.
  async transportError(method, path, body, e) {
    const size = body ? (body.length ?? body.byteLength ?? 0) : 0;
    if (size > 0 && path !== "/v1/info") {
      let lim = this.limitsCache;
      try { lim = lim || await this.limits(); } catch { lim = null; }
      const cap = lim && lim.max_body_bytes;
      if (cap && size > cap) {
        return new PayloadTooLarge(413, {
          type: PROBLEM_PREFIX + "payload-too-large", title: "Payload too large", status: 413,
          detail: `the body of ${size} bytes is over the server's cap of ${cap} (/v1/info max_body_bytes)`,
        }, {});
      }
    }
    return new TransportError(`${method} ${path}: ${e.message}`);
  }

  async call(method, path, route, opts = {}) {
    return (await this.request(method, path, { ...opts, route })).body;
  }

  // score and logpdf in as many requests as the server's limits need.
  async pointsCall(path, route, points, t, field, npy) {
    const m = toMatrix(points);
    const per = await this.rowsPerRequest(m.cols, (npy ?? this.npy) ? "npy" : "json");
    const parts = await this.split(field, m.rows, per, (a, b) => this.pointsOnce(path, route,
      { data: m.data.subarray(a * m.cols, b * m.cols), rows: b - a, cols: m.cols }, t, field, npy));
    return field === "logpdf" ? joinVectors(parts) : joinMatrices(parts);
  }

  async pointsOnce(path, route, points, t, field, npy) {
    const useNpy = npy ?? this.npy;
    if (useNpy) {
      const r = await this.request("POST", path, {
        raw: npyEncode(toMatrix(points)), contentType: NPY_TYPE,
        accept: NPY_TYPE, query: { t }, route,
      });
      return r.contentType === NPY_TYPE ? npyDecode(r.body) : fromJson(r.body[field]);
    }
    const out = await this.call("POST", path, route, { json: { t, points: matrixRows(toMatrix(points)) } });
    return fromJson(out[field]);
  }

  // GET /healthz: {status: "ok"} while serving.
  healthz() { return this.call("GET", "/healthz", "/healthz", { auth: false }); }
  // GET /v1/info: version, receipt_key, families, kinds, presets, limits.
  info() { return this.call("GET", "/v1/info", "/v1/info", { auth: false }); }
  // GET /v1/openapi.yaml: the API description (text).
  openapi() {
    return this.call("GET", "/v1/openapi.yaml", "/v1/openapi.yaml",
      { auth: false, accept: "application/yaml, text/plain, */*" });
  }
  // GET /metrics: Prometheus text.
  metrics() { return this.call("GET", "/metrics", "/metrics", { auth: false, accept: "text/plain" }); }

  // POST /v1/players: {id, name, role, token}; keeps the token when the
  // client has none.  role "instructor" needs an admin/instructor token.
  async register(name, role) {
    const out = await this.call("POST", "/v1/players", "/v1/players",
      { json: role ? { name, role } : { name } });
    if (!this.token) this.token = out.token;
    return out;
  }
  // GET /v1/players/me.
  me() { return this.call("GET", "/v1/players/me", "/v1/players/me"); }

  // POST /v1/instances: params are the family's public parameters, plus
  // optional budget {samples, score, logpdf} and oracle {t_min, noise}.
  createInstance(family, params = {}) {
    return this.call("POST", "/v1/instances", "/v1/instances", { json: { family, ...params } });
  }
  // GET /v1/instances/{id}.
  instance(id) { return this.call("GET", `/v1/instances/${seg(id)}`, "/v1/instances/{id}"); }

  // POST /v1/instances/{id}/samples: n points of P_t as a Matrix, drawn in
  // several requests (in stream order) when one may not carry them.
  async samples(id, n, { t = 0, npy } = {}) {
    const lim = await this.limits();
    const small = Math.min(lim.max_samples ?? 1, Math.floor((lim.max_points ?? 1) / (lim.max_dim ?? 1)));
    if (n <= small) return this.samplesOnce(id, n, { t, npy });
    const { dim } = await this.instance(id);
    const per = await this.rowsPerRequest(dim, "samples");
    return joinMatrices(await this.split("samples", n, per, (a, b) => this.samplesOnce(id, b - a, { t, npy })));
  }

  async samplesOnce(id, n, { t = 0, npy } = {}) {
    const path = `/v1/instances/${seg(id)}/samples`;
    const route = "/v1/instances/{id}/samples";
    const r = await this.request("POST", path, {
      json: { n, t }, accept: (npy ?? this.npy) ? NPY_TYPE : JSON_TYPE, route,
    });
    return r.contentType === NPY_TYPE ? npyDecode(r.body) : fromJson(r.body.samples);
  }
  // POST /v1/instances/{id}/score: grad log P_t at each point (a Matrix).
  score(id, points, { t = 0, npy } = {}) {
    return this.pointsCall(`/v1/instances/${seg(id)}/score`, "/v1/instances/{id}/score",
      points, t, "scores", npy);
  }
  // POST /v1/instances/{id}/logpdf: log P_t at each point (Float64Array).
  logpdf(id, points, { t = 0, npy } = {}) {
    return this.pointsCall(`/v1/instances/${seg(id)}/logpdf`, "/v1/instances/{id}/logpdf",
      points, t, "logpdf", npy);
  }
  // The oracle's answers at a round's eval points {t: [...], points: [...]}
  // (one t per point), one request per distinct t, in the points' order:
  // op "score" answers a Matrix, "logpdf" a Float64Array.
  async evaluate(id, evalPoints, op = "score") {
    const ts = evalPoints.t.map(Number);
    const pts = toMatrix(evalPoints.points);
    const out = new Float64Array(op === "score" ? pts.data.length : ts.length);
    for (const t of [...new Set(ts)]) {
      const idx = ts.flatMap((ti, i) => (ti === t ? [i] : []));
      const sub = { data: new Float64Array(idx.length * pts.cols), rows: idx.length, cols: pts.cols };
      idx.forEach((i, j) => sub.data.set(pts.data.subarray(i * pts.cols, (i + 1) * pts.cols), j * pts.cols));
      const got = await (op === "score" ? this.score(id, sub, { t }) : this.logpdf(id, sub, { t }));
      idx.forEach((i, j) => {
        if (op === "score") out.set(got.data.subarray(j * pts.cols, (j + 1) * pts.cols), i * pts.cols);
        else out[i] = got[j];
      });
    }
    return op === "score" ? { data: out, rows: pts.rows, cols: pts.cols } : out;
  }
  // POST /v1/instances/{id}/reveal: {secret, salt, commitment}.
  reveal(id) { return this.call("POST", `/v1/instances/${seg(id)}/reveal`, "/v1/instances/{id}/reveal"); }
  // GET /v1/instances/{id}/reveal: the opening of a revealed instance again.
  readReveal(id) { return this.call("GET", `/v1/instances/${seg(id)}/reveal`, "/v1/instances/{id}/reveal"); }

  // POST /v1/challenges: kind, instance spec (family + parameters), rounds
  // (sent only when given: the server's default is 20, or the preset's),
  // and any extra fields (preset, public, eval).
  createChallenge(kind, instance, rounds, extra = {}) {
    const body = { kind, ...extra };
    if (rounds !== undefined && rounds !== null) body.rounds = rounds;
    if (instance) body.instance = instance;
    return this.call("POST", "/v1/challenges", "/v1/challenges", { json: body });
  }
  // GET /v1/challenges: yours, newest first.
  challenges() { return this.call("GET", "/v1/challenges", "/v1/challenges"); }
  // GET /v1/challenges/{id}; { eval: true } inlines every round's eval
  // points (large: roundEval fetches one round's as NPY).
  challenge(id, { eval: inline = false } = {}) {
    return this.call("GET", `/v1/challenges/${seg(id)}`, "/v1/challenges/{id}",
      { query: inline ? { eval: "inline" } : undefined });
  }
  // GET /v1/challenges/{id}/rounds/{index}/eval: {t: [...], points: Matrix}.
  async roundEval(id, index) {
    const path = `/v1/challenges/${seg(id)}/rounds/${Number(index)}/eval`;
    const route = "/v1/challenges/{id}/rounds/{index}/eval";
    if (!this.npy) {
      const out = await this.call("GET", path, route);
      return { t: out.t, points: toMatrix(out.points) };
    }
    const pts = await this.call("GET", path, route, { accept: NPY_TYPE });
    const ts = await this.call("GET", path, route, { accept: NPY_TYPE, query: { part: "t" } });
    return { t: Array.from(npyDecode(ts)), points: npyDecode(pts) };
  }
  // GET /v1/challenges/{id}/reveal: what finish answered, read again.
  challengeReveal(id) {
    return this.call("GET", `/v1/challenges/${seg(id)}/reveal`, "/v1/challenges/{id}/reveal");
  }
  // POST /v1/challenges/{id}/rounds/{index}/answer: {guess}, {direction},
  // {scores}, {logpdf}, {sample} or {seed}.  The last answer finishes.
  answer(id, index, answer) {
    return this.call("POST", `/v1/challenges/${seg(id)}/rounds/${Number(index)}/answer`,
      "/v1/challenges/{id}/rounds/{index}/answer", { json: answer });
  }
  // POST /v1/challenges/{id}/finish: {result, reveal, receipt}.
  finish(id) { return this.call("POST", `/v1/challenges/${seg(id)}/finish`, "/v1/challenges/{id}/finish"); }
  // GET /v1/leaderboard.
  leaderboard(kind) {
    return this.call("GET", "/v1/leaderboard", "/v1/leaderboard", { query: { kind }, auth: false });
  }
  // POST /v1/classes (instructor).
  createClass(name) { return this.call("POST", "/v1/classes", "/v1/classes", { json: { name } }); }
  // POST /v1/classes/join: a new enrolled player; keeps its token.
  async joinClass(code, name) {
    const out = await this.call("POST", "/v1/classes/join", "/v1/classes/join", { json: { code, name } });
    if (!this.token) this.token = out.token;
    return out;
  }
  // POST /v1/classes/{id}/assignments (instructor): a challenge template.
  createAssignment(id, template) {
    return this.call("POST", `/v1/classes/${seg(id)}/assignments`, "/v1/classes/{id}/assignments", { json: template });
  }
  // GET /v1/classes/{id}/results (instructor): JSON, or CSV text.
  classResults(id, { csv = false } = {}) {
    return this.call("GET", `/v1/classes/${seg(id)}/results`, "/v1/classes/{id}/results",
      { accept: csv ? "text/csv" : JSON_TYPE });
  }
}

function joinMatrices(parts) {
  if (parts.length === 1) return parts[0];
  const cols = parts.find((p) => p.rows > 0)?.cols ?? 0;
  const rows = parts.reduce((a, p) => a + p.rows, 0);
  const data = new Float64Array(rows * cols);
  let off = 0;
  for (const p of parts) { data.set(p.data, off); off += p.data.length; }
  return { data, rows, cols };
}

function joinVectors(parts) {
  if (parts.length === 1) return parts[0];
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

function fromJson(v) {
  if (Array.isArray(v) && v.length && Array.isArray(v[0])) return toMatrix(v);
  if (Array.isArray(v) && v.length === 0) return { data: new Float64Array(0), rows: 0, cols: 0 };
  return Float64Array.from(v);
}

// ---------------------------------------------------------------- BLAKE2b

const MASK = (1n << 64n) - 1n;
const B2_IV = [
  0x6a09e667f3bcc908n, 0xbb67ae8584caa73bn, 0x3c6ef372fe94f82bn,
  0xa54ff53a5f1d36f1n, 0x510e527fade682d1n, 0x9b05688c2b3e6c1fn,
  0x1f83d9abfb41bd6bn, 0x5be0cd19137e2179n,
];
const B2_SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];
const rotr = (x, n) => ((x >> n) | (x << (64n - n))) & MASK;

function b2Compress(h, block, t, last) {
  const m = new Array(16);
  const dv = new DataView(block.buffer, block.byteOffset, 128);
  for (let i = 0; i < 16; i++) m[i] = dv.getBigUint64(i * 8, true);
  const v = [...h, ...B2_IV];
  v[12] ^= t & MASK;
  v[13] ^= t >> 64n;
  if (last) v[14] ^= MASK;
  const g = (a, b, c, d, x, y) => {
    v[a] = (v[a] + v[b] + x) & MASK; v[d] = rotr(v[d] ^ v[a], 32n);
    v[c] = (v[c] + v[d]) & MASK; v[b] = rotr(v[b] ^ v[c], 24n);
    v[a] = (v[a] + v[b] + y) & MASK; v[d] = rotr(v[d] ^ v[a], 16n);
    v[c] = (v[c] + v[d]) & MASK; v[b] = rotr(v[b] ^ v[c], 63n);
  };
  for (let r = 0; r < 12; r++) {
    const s = B2_SIGMA[r % 10];
    g(0, 4, 8, 12, m[s[0]], m[s[1]]); g(1, 5, 9, 13, m[s[2]], m[s[3]]);
    g(2, 6, 10, 14, m[s[4]], m[s[5]]); g(3, 7, 11, 15, m[s[6]], m[s[7]]);
    g(0, 5, 10, 15, m[s[8]], m[s[9]]); g(1, 6, 11, 12, m[s[10]], m[s[11]]);
    g(2, 7, 8, 13, m[s[12]], m[s[13]]); g(3, 4, 9, 14, m[s[14]], m[s[15]]);
  }
  for (let i = 0; i < 8; i++) h[i] ^= v[i] ^ v[i + 8];
}

// BLAKE2b (RFC 7693) of msg (Uint8Array) with an optional key of up to 64
// bytes; outlen 1..64 bytes.  Answers a Uint8Array.
export function blake2b(msg, { key = new Uint8Array(0), outlen = 64 } = {}) {
  if (outlen < 1 || outlen > 64 || key.length > 64) throw new RangeError("blake2b: bad sizes");
  const h = B2_IV.slice();
  h[0] ^= 0x01010000n ^ (BigInt(key.length) << 8n) ^ BigInt(outlen);
  const data = key.length ? concat(padTo(key, 128), msg) : msg;
  const block = new Uint8Array(128);
  let t = 0n;
  let off = 0;
  // Every full block but the last is compressed as it comes.
  while (data.length - off > 128) {
    block.set(data.subarray(off, off + 128));
    t += 128n;
    b2Compress(h, block, t, false);
    off += 128;
  }
  block.fill(0);
  block.set(data.subarray(off));
  t += BigInt(data.length - off);
  b2Compress(h, block, t, true);
  const out = new Uint8Array(64);
  const dv = new DataView(out.buffer);
  h.forEach((w, i) => dv.setBigUint64(i * 8, w, true));
  return out.slice(0, outlen);
}

function padTo(bytes, n) {
  const out = new Uint8Array(n);
  out.set(bytes);
  return out;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

// ---------------------------------------------------------------- verification

export const hexOf = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
export function bytesOfHex(hex) {
  if (typeof hex !== "string" || !/^([0-9a-fA-F]{2})*$/.test(hex)) throw new VerificationError("not hex");
  return Uint8Array.from(hex.match(/../g) || [], (p) => parseInt(p, 16));
}
const utf8 = (s) => new TextEncoder().encode(s);

function b64decode(text, what) {
  try {
    const bin = atob(text);
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    throw new VerificationError(`${what} is not base64`);
  }
}

const SECRET_ORDER = ["u", "means", "weights"];

// Canonical secret bytes: arrays u, means, weights as little-endian
// float64, matrices row-major.
export function secretBytes(secret) {
  const vals = [];
  for (const k of Object.keys(secret)) {
    if (!SECRET_ORDER.includes(k)) throw new VerificationError(`secret has unknown array ${k}`);
  }
  for (const k of SECRET_ORDER) if (k in secret) vals.push(...[secret[k]].flat(2));
  const out = new Uint8Array(vals.length * 8);
  const dv = new DataView(out.buffer);
  vals.forEach((v, i) => dv.setFloat64(i * 8, v, true));
  return out;
}

function salt(hex) {
  const s = bytesOfHex(hex);
  if (s.length !== 32) throw new VerificationError("salt must be 32 bytes");
  return s;
}

// hex(BLAKE2b-256(key = salt, "scoracle-commit-v1" 0 id 0 S)).
export function instanceCommitment(id, secret, saltHex) {
  const msg = concat(utf8("scoracle-commit-v1"), [0], utf8(id), [0], secretBytes(secret || {}));
  return hexOf(blake2b(msg, { key: salt(saltHex), outlen: 32 }));
}

// Checks an instance reveal {secret, salt, commitment} against the
// commitment published before (default: the reveal's own copy); answers
// the secret or throws VerificationError.
export function openInstance(id, reveal, commitment) {
  const expected = (commitment || reveal.commitment || "").toLowerCase();
  if (!expected) throw new VerificationError("no commitment to check against");
  if (reveal.commitment && reveal.commitment.toLowerCase() !== expected) {
    throw new VerificationError("the reveal names another commitment");
  }
  const got = instanceCommitment(id, reveal.secret || {}, reveal.salt);
  if (got !== expected) throw new VerificationError(`commitment does not open: computed ${got}, published ${expected}`);
  return reveal.secret || {};
}

// hex(BLAKE2b-256(key = salt, "scoracle-challenge-v1" 0 id 0 R_0 R_1 ...)),
// R_i = planted byte || 32 bytes of round i's instance commitment.
export function challengeCommitment(id, planted, roundCommitments, saltHex) {
  if (planted.length !== roundCommitments.length) throw new VerificationError("as many coins as rounds needed");
  const parts = [utf8("scoracle-challenge-v1"), [0], utf8(id), [0]];
  planted.forEach((p, i) => {
    const rc = bytesOfHex(roundCommitments[i]);
    if (rc.length !== 32) throw new VerificationError("round commitment is not 32 bytes");
    parts.push([p ? 1 : 0], rc);
  });
  return hexOf(blake2b(concat(...parts), { key: salt(saltHex), outlen: 32 }));
}

// Checks a finished challenge (finish's answer, or the last answer) against
// the challenge as published: every round instance opens, then the
// challenge commitment.  Answers the planted bits.
export function openChallenge(challenge, finish) {
  const reveal = finish.reveal || finish;
  const shown = new Map((challenge.rounds || []).map((r) => [r.index, r.instance || {}]));
  const rounds = [...reveal.rounds].sort((a, b) => a.index - b.index);
  if (shown.size && rounds.length !== shown.size) throw new VerificationError("round count differs");
  const coins = [];
  const commits = [];
  for (const r of rounds) {
    const inst = shown.get(r.index) || {};
    const rev = r.instance || {};
    const published = inst.commitment || rev.commitment;
    const id = inst.id || r.instance_id || rev.id;
    if (!published || !id || !rev.salt) throw new VerificationError(`round ${r.index} lacks id, salt or commitment`);
    openInstance(id, rev, published);
    coins.push(r.planted !== false);
    commits.push(published);
  }
  const got = challengeCommitment(challenge.id, coins, commits, reveal.salt);
  if (got !== challenge.commitment.toLowerCase()) {
    throw new VerificationError(`challenge commitment does not open: computed ${got}`);
  }
  return coins;
}

// Verifies a receipt {payload, signature} (base64) under the server's
// receipt_key (base64 Ed25519 public key) with WebCrypto; answers the
// decoded payload.
export async function verifyReceipt(receipt, receiptKey) {
  const payload = b64decode(receipt.payload, "payload");
  const sig = b64decode(receipt.signature, "signature");
  const pub = b64decode(receiptKey, "receipt_key");
  if (pub.length !== 32 || sig.length !== 64) throw new VerificationError("key must be 32 bytes and signature 64");
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  let ok;
  try {
    const key = await subtle.importKey("raw", pub, { name: "Ed25519" }, false, ["verify"]);
    ok = await subtle.verify({ name: "Ed25519" }, key, sig, payload);
  } catch (e) {
    throw new VerificationUnavailable(`this runtime's WebCrypto has no Ed25519 (${e.message})`);
  }
  if (!ok) throw new VerificationError("receipt signature does not verify");
  try {
    return JSON.parse(new TextDecoder().decode(payload));
  } catch {
    throw new VerificationError("receipt payload is not JSON");
  }
}

// Bits to bytes: bit i is (B[i >> 3] >> (i & 7)) & 1.
export function packBits(bits) {
  const out = new Uint8Array((bits.length + 7) >> 3);
  bits.forEach((b, i) => { if (b) out[i >> 3] |= 1 << (i & 7); });
  return out;
}

// The wire form of a seed: hex of its packed bits.
export const seedHex = (bits) => hexOf(packBits(bits));

// f(seed) of the owf family: the first imageBits bits of
// BLAKE2b-512(key = f_key, packed seed).  seed: hex string or bit array.
export function owfF(fKeyHex, seed, seedBits, imageBits) {
  const raw = typeof seed === "string" ? bytesOfHex(seed) : packBits(seed);
  if (raw.length !== (seedBits + 7) >> 3) throw new RangeError(`a ${seedBits}-bit seed is ${(seedBits + 7) >> 3} bytes`);
  const h = blake2b(raw, { key: bytesOfHex(fKeyHex), outlen: 64 });
  return Array.from({ length: imageBits }, (_, i) => (h[i >> 3] >> (i & 7)) & 1);
}

// The bits a measurement y reads: 1 where y_j is nearer delta (Z + 1/2).
export const bHat = (y, delta) => Array.from(y, (v) => Math.floor((2 * v) / delta + 0.5) & 1);

// The posterior game's predicate: f(seed of the sample, or seed) = bHat(y).
export function inverts({ f_key: fKey, seed_bits: n, image_bits: m, delta }, y, { sample, seed }) {
  const bits = seed ?? Array.from(sample.slice(0, n), (v) => (v > 0 ? 1 : 0));
  const a = owfF(fKey, bits, n, m);
  const b = bHat(y, delta);
  return a.every((v, i) => v === b[i]);
}
