// A planted direction from a handful of samples, by lattice reduction.
// For a pancakes instance <x_i, u> is nearly an integer multiple k_i of
// the spacing, so the integer vector k lies close to the column space of
// the n x d sample matrix X.  Integer vectors near that space are the
// short vectors of the lattice with basis rows (e_i, M P e_i), P the
// projection onto the orthogonal complement of col(X): LLL finds k, and
// least squares X u = k gives u.  Plain arrays, no DOM: runs in a Worker
// and in node.

const dot = (a, b) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; };

// Orthonormal columns spanning col(X) (rows of X are samples), as d
// vectors of length n (modified Gram-Schmidt).
function colBasis(X, n, d) {
  const q = [];
  for (let j = 0; j < d; j++) {
    const v = Float64Array.from({ length: n }, (_, i) => X[i * d + j]);
    for (const w of q) { const c = dot(v, w); for (let i = 0; i < n; i++) v[i] -= c * w[i]; }
    const norm = Math.sqrt(dot(v, v));
    if (norm < 1e-12) continue;
    for (let i = 0; i < n; i++) v[i] /= norm;
    q.push(v);
  }
  return q;
}

// LLL with delta 0.99 on the rows of B (arrays of numbers), in place.
// onStep(fraction) reports progress now and then.
export function lll(B, { delta = 0.99, maxSwaps = 200000, onStep } = {}) {
  const n = B.length;
  const bs = B.map((b) => Float64Array.from(b));
  const mu = Array.from({ length: n }, () => new Float64Array(n));
  const norms = new Float64Array(n);
  const gso = (k) => {
    const v = Float64Array.from(B[k]);
    for (let j = 0; j < k; j++) {
      mu[k][j] = norms[j] > 0 ? dot(B[k], bs[j]) / norms[j] : 0;
      for (let i = 0; i < v.length; i++) v[i] -= mu[k][j] * bs[j][i];
    }
    bs[k] = v;
    norms[k] = dot(v, v);
  };
  for (let k = 0; k < n; k++) gso(k);
  let k = 1;
  let swaps = 0;
  while (k < n && swaps < maxSwaps) {
    for (let j = k - 1; j >= 0; j--) {
      const r = Math.round(mu[k][j]);
      if (r !== 0) {
        for (let i = 0; i < B[k].length; i++) B[k][i] -= r * B[j][i];
        for (let i = 0; i < j; i++) mu[k][i] -= r * mu[j][i];
        mu[k][j] -= r;
      }
    }
    if (norms[k] >= (delta - mu[k][k - 1] ** 2) * norms[k - 1]) {
      k++;
      if (onStep) onStep(k / n);
    } else {
      [B[k], B[k - 1]] = [B[k - 1], B[k]];
      swaps++;
      gso(k - 1);
      gso(k);
      k = Math.max(k - 1, 1);
    }
  }
  return B;
}

// Solves the d x d system A w = b (Gaussian elimination, pivoting).
function solve(A, b) {
  const d = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = 0; r < d; r++) {
      if (r === c || M[c][c] === 0) continue;
      const f = M[r][c] / M[c][c];
      for (let j = c; j <= d; j++) M[r][j] -= f * M[c][j];
    }
  }
  return M.map((row, i) => (row[i] !== 0 ? row[d] / row[i] : 0));
}

// Least squares X w = k for the n x d row-major X.
function lstsq(X, n, d, k) {
  const A = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => {
    let s = 0; for (let i = 0; i < n; i++) s += X[i * d + a] * X[i * d + b]; return s;
  }));
  const rhs = Array.from({ length: d }, (_, a) => {
    let s = 0; for (let i = 0; i < n; i++) s += X[i * d + a] * k[i]; return s;
  });
  return solve(A, rhs);
}

export const unit = (v) => { const s = Math.sqrt(dot(v, v)) || 1; return v.map((x) => x / s); };

// The hidden direction from the first n rows of the row-major matrix X
// (d columns).  Answers {direction, relation (the integer vector k),
// residual (|P k|, small when planted)}.
export function findDirection(X, d, { n = 3 * d, scale = 1000, onStep } = {}) {
  n = Math.min(n, Math.floor(X.length / d));
  const q = colBasis(X, n, d);
  const B = [];
  for (let i = 0; i < n; i++) {
    const e = new Float64Array(n);
    e[i] = 1;
    for (const w of q) { const c = w[i]; for (let j = 0; j < n; j++) e[j] -= c * w[j]; }
    const row = new Array(2 * n).fill(0);
    row[i] = 1;
    for (let j = 0; j < n; j++) row[n + j] = scale * e[j];
    B.push(row);
  }
  lll(B, { onStep });
  let best = B[0];
  for (const b of B) if (dot(b, b) < dot(best, best)) best = b;
  const k = best.slice(0, n).map(Math.round);
  const residual = Math.sqrt(best.slice(n).reduce((s, v) => s + v * v, 0)) / scale;
  return { direction: unit(lstsq(X, n, d, k)), relation: k, residual };
}

// Projections of every row of X onto the unit vector u.
export function project(X, d, u) {
  const m = Math.floor(X.length / d);
  const z = new Float64Array(m);
  for (let i = 0; i < m; i++) { let s = 0; for (let j = 0; j < d; j++) s += X[i * d + j] * u[j]; z[i] = s; }
  return z;
}

// The periodicity aid: |mean exp(2 pi i z / a)| for spacings a on a grid,
// near 1 at the comb's spacing, about 1/sqrt(m) for a Gaussian.
export function periodogram(z, { from = 0.3, to = 3, steps = 271 } = {}) {
  const out = [];
  for (let s = 0; s < steps; s++) {
    const a = from + ((to - from) * s) / (steps - 1);
    let c = 0; let si = 0;
    for (const v of z) { const t = (2 * Math.PI * v) / a; c += Math.cos(t); si += Math.sin(t); }
    out.push([a, Math.hypot(c, si) / z.length]);
  }
  return out;
}

// The comb strength at spacing a: |mean exp(2 pi i z / a)|.
export function combAt(z, a) {
  let c = 0; let s = 0;
  for (const v of z) { const t = (2 * Math.PI * v) / a; c += Math.cos(t); s += Math.sin(t); }
  return Math.hypot(c, s) / z.length;
}

// The pancakes spacing of MATH.md section 1 at t = 0.
export const spacing = (gamma, sigma) => Math.sqrt(2 * Math.PI) / (gamma * Math.sqrt(1 + sigma * sigma));
