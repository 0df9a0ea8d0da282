// The pancakes density along u and a sampler, written out from
// docs/MATH.md section 1 (t = 0), for the learn page when no server
// instance is at hand.  rng: () -> uniform [0, 1).

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gauss(rng) {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

function comb(gamma, sigma) {
  const K = Math.ceil(4 * gamma) + 2;
  const ks = [];
  for (let k = -K; k <= K; k++) ks.push(k);
  const w = ks.map((k) => Math.exp((-Math.PI * k * k) / (gamma * gamma)));
  const total = w.reduce((a, b) => a + b, 0);
  const mu = ks.map((k) => (Math.sqrt(2 * Math.PI) * k) / (gamma * Math.sqrt(1 + sigma * sigma)));
  return { ks, w: w.map((x) => x / total), mu, v: (sigma * sigma) / (1 + sigma * sigma) };
}

// p1(z) on the grid zs.
export function density(zs, gamma, sigma) {
  const { w, mu, v } = comb(gamma, sigma);
  const c = 1 / Math.sqrt(2 * Math.PI * v);
  return zs.map((z) => w.reduce((s, wk, i) => s + wk * c * Math.exp(-((z - mu[i]) ** 2) / (2 * v)), 0));
}

// n points of the 2-D pancakes with u = e_1: [zs, perpendicular].
export function sample2d(n, gamma, sigma, rng) {
  const { w, mu, v } = comb(gamma, sigma);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let r = rng();
    let j = 0;
    while (j < w.length - 1 && r > w[j]) { r -= w[j]; j++; }
    xs[i] = mu[j] + Math.sqrt(v) * gauss(rng);
    ys[i] = gauss(rng);
  }
  return [xs, ys];
}
