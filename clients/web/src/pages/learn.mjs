// Home and learn: the three papers in plain words, and Song's Figure 1
// live: gamma and sigma sliders redraw the density along the secret
// direction and a 2-D scatter.
import { h, errorLine, fmt } from "../lib/ui.mjs";
import { Scatter, lines } from "../lib/plots.mjs";
import { density, sample2d, mulberry32 } from "../lib/pancakes.mjs";

const GRID = Array.from({ length: 401 }, (_, i) => -4 + (8 * i) / 400);
const POINTS = 1500;

function slider(label, min, max, step, value, onInput) {
  const out = h("output", {}, String(value));
  const input = h("input", { type: "range", min, max, step, value, "aria-label": label });
  input.addEventListener("input", () => { out.textContent = input.value; onInput(); });
  return [h("label", {}, `${label} `, input, out), input];
}

// The server's figure: a 2-D instance of the caller's, revealed, its
// log-density along u and samples projected on (u, u perp).
async function serverFigure(client, gamma, sigma) {
  const inst = await client.createInstance("pancakes", { dim: 2, gamma, sigma });
  const { secret: { u } } = await client.reveal(inst.id);
  const pts = GRID.map((z) => [z * u[0], z * u[1]]);
  const lp = await client.logpdf(inst.id, pts);
  // logpdf(z u) = -(1/2) log(2 pi) + log p1(z): the density along u.
  const ys = Array.from(lp, (v) => Math.exp(v + 0.5 * Math.log(2 * Math.PI)));
  const s = await client.samples(inst.id, POINTS);
  const xs = new Float64Array(s.rows);
  const ps = new Float64Array(s.rows);
  for (let i = 0; i < s.rows; i++) {
    const a = s.data[2 * i];
    const b = s.data[2 * i + 1];
    xs[i] = a * u[0] + b * u[1];
    ps[i] = -a * u[1] + b * u[0];
  }
  return { ys, xs, ps, source: `instance ${inst.id} (revealed, yours)` };
}

// One server instance per (gamma, sigma) this page has drawn: moving a
// slider back reuses it rather than creating another.
const served = new Map();
function serverFigureOnce(client, gamma, sigma) {
  const key = `${gamma}/${sigma}`;
  if (!served.has(key)) {
    served.set(key, serverFigure(client, gamma, sigma).catch((e) => { served.delete(key); throw e; }));
  }
  return served.get(key);
}

function localFigure(gamma, sigma) {
  const [xs, ps] = sample2d(POINTS, gamma, sigma, mulberry32(7));
  return { ys: density(GRID, gamma, sigma), xs, ps, source: "docs/MATH.md section 1, computed in the page" };
}

export async function render(view, ctx) {
  const signedIn = !!ctx.session();
  const chart = h("div", { class: "chart", id: "density" });
  const scatter = new Scatter({ half: 4, aspect: 0.75, label: "x along u →, perpendicular ↑" });
  const caption = h("p", { class: "muted", id: "fig-source" });
  const err = errorLine();
  let gammaIn;
  let sigmaIn;
  let timer = null;
  let seq = 0;
  const redraw = async () => {
    const gamma = Number(gammaIn.value);
    const sigma = Number(sigmaIn.value);
    const mine = ++seq;
    err.clear();
    let fig;
    try {
      fig = signedIn ? await serverFigureOnce(ctx.client(), gamma, sigma) : localFigure(gamma, sigma);
    } catch (e) {
      err.show(e);
      fig = localFigure(gamma, sigma);
    }
    if (mine !== seq) return;
    lines(chart, { xs: GRID, series: [{ label: "density along u", values: fig.ys }],
      xLabel: "z = <x, u>", yLabel: "p1(z)" });
    scatter.set(fig.xs, fig.ps);
    caption.textContent = `gamma = ${fmt(gamma)}, sigma = ${fmt(sigma)}; spacing ` +
      `${fmt(Math.sqrt(2 * Math.PI) / (gamma * Math.sqrt(1 + sigma * sigma)))}. Source: ${fig.source}.`;
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(redraw, signedIn ? 250 : 30); };
  const [gLabel, g] = slider("gamma", 0.5, 8, 0.1, 2, later);
  const [sLabel, s] = slider("sigma", 0.005, 0.5, 0.005, 0.05, later);
  gammaIn = g;
  sigmaIn = s;

  view.append(
    h("h1", {}, "Hidden structure that only a score can see"),
    h("div", { class: "hero" },
      h("div", {},
        h("p", {}, "A Gaussian pancakes distribution looks like plain noise N(0, I) from every ",
          "direction but one. Along a secret unit vector u the samples sit on thin, evenly spaced ",
          "slabs, the pancakes: spacing sqrt(2 pi)/gamma, thickness about sigma."),
        h("p", {}, h("strong", {}, "Song (2024)"), " shows that learning the score of such a ",
          "distribution well enough would tell pancakes from noise, which is as hard as lattice ",
          "problems believed hard even for quantum computers: score-based diffusion models cannot ",
          "learn every distribution efficiently."),
        h("p", {}, h("strong", {}, "Chewi, Kalavasis, Mehrotra and Montasser (2025)"), " show the ",
          "same for Gaussian mixtures: learning a density's score is as hard as learning the ",
          "mixture, and some mixtures are hard."),
        h("p", {}, h("strong", {}, "Gupta, Jalal, Parulekar, Price and Xun (2024)"), " show that ",
          "even with exact scores in hand, posterior sampling can be as hard as inverting a ",
          "one-way function."),
        h("p", {}, "scoracle holds the secrets on its side, answers sample, score and log-density ",
          "queries, and runs games whose secrets are committed in advance and revealed ",
          "verifiably. ", h("a", { href: "#/ladder" }, "Pick a game on the ladder"), " or ",
          h("a", { href: "#/account" }, "get a token"), " first.")),
      h("div", { class: "card" },
        h("h2", {}, "Figure 1, live"),
        h("div", { class: "row" }, gLabel, sLabel),
        chart, err, scatter.canvas, caption)),
  );
  await redraw();
}
