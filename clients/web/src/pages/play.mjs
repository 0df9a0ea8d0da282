// Play a challenge: one round at a time, with the tools of its kind.
import { h, action, errorLine, progress, select, download, fmt } from "../lib/ui.mjs";
import { Scatter, Histogram, lines } from "../lib/plots.mjs";
import { project, periodogram, combAt, spacing, unit } from "../lib/lattice.mjs";
import { npyEncode, npyDecode, toMatrix } from "../scoracle.mjs";

const SAMPLES = 400;

function runWorker(file, msg, onProgress) {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(`../workers/${file}`, import.meta.url), { type: "module" });
    w.onmessage = (ev) => {
      if (ev.data.progress !== undefined) { onProgress(ev.data); return; }
      w.terminate();
      if (ev.data.error) reject(new Error(ev.data.error)); else resolve(ev.data);
    };
    w.onerror = (ev) => { w.terminate(); reject(new Error(ev.message || "worker failed")); };
    w.postMessage(msg);
  });
}

function budgetText(inst) {
  return Object.entries(inst.budget || {}).filter(([, v]) => v > 0)
    .map(([k, v]) => `${k}: ${inst.used[k]} of ${v} used`).join(" · ") || "no budget limit";
}

const basis = (d, i) => Array.from({ length: d }, (_, j) => (j === i ? 1 : 0));

// The samples tool of the pancakes and gmm families: draw, look, find
// the direction, then answer.
function samplesTool(ctx, ch, round, answer) {
  const inst = round.instance;
  const d = inst.dim;
  const p = inst.params || {};
  const a = p.gamma ? spacing(p.gamma, p.sigma) : 0;
  const client = ctx.client();
  const budget = h("p", { class: "muted", id: "budget" }, budgetText(inst));
  const scatter = new Scatter({ half: 4, aspect: 0.7, label: "horizontal: the direction below" });
  const hist = new Histogram({ half: 4 });
  const pgram = h("div", { id: "periodogram" });
  const stat = h("p", { id: "comb-stat" });
  let found = null;
  const axes = [...Array.from({ length: d }, (_, i) => [String(i), `axis ${i + 1}`])];
  const selI = select("i", axes, "0", { "aria-label": "horizontal axis" });
  const selJ = select("j", axes, d > 1 ? "1" : "0", { "aria-label": "turn toward axis" });
  const selV = select("v", axes, d > 2 ? "2" : "0", { "aria-label": "vertical axis" });
  const angle = h("input", { type: "range", min: 0, max: 180, step: 1, value: 0, "aria-label": "rotation in degrees" });
  const useFound = h("input", { type: "checkbox", disabled: true, id: "use-found" });
  const aid = h("input", { type: "checkbox", checked: true, id: "comb-aid" });

  const direction = () => {
    if (found && useFound.checked) return found;
    const t = (Number(angle.value) * Math.PI) / 180;
    const i = Number(selI.value);
    const j = Number(selJ.value);
    return unit(Array.from({ length: d }, (_, k) => (k === i ? Math.cos(t) : 0) + (k === j && j !== i ? Math.sin(t) : 0)));
  };
  const m = () => ctx.drawn.get(inst.id);
  const redraw = () => {
    const x = m();
    if (!x) return;
    const u = direction();
    const v = basis(d, Number(selV.value));
    const z = project(x.data, d, u);
    x.view = { h: u, v };
    scatter.set(z, project(x.data, d, v));
    hist.comb(aid.checked ? a : 0).set(z);
    const pg = periodogram(z);
    lines(pgram, { xs: pg.map((q) => q[0]), series: [{ label: "comb strength", values: pg.map((q) => q[1]) }],
      height: 160, xLabel: "spacing a", yLabel: "comb strength" });
    if (a) {
      const c = combAt(z, a);
      stat.replaceChildren("Comb strength at the pancakes spacing a = ", fmt(a), ": ",
        h("strong", { id: "comb-value", dataset: { value: String(c) } }, fmt(c)),
        h("span", { class: "muted" }, ` (about ${fmt(1 / Math.sqrt(z.length))} for plain noise, near 1 for pancakes seen edge-on)`));
    }
  };
  for (const el of [selI, selJ, selV, angle, useFound, aid]) el.addEventListener("input", redraw);
  let dragX = null;
  scatter.canvas.addEventListener("pointerdown", (e) => {
    dragX = e.clientX;
    scatter.canvas.setPointerCapture(e.pointerId);
  });
  scatter.canvas.addEventListener("pointerup", () => { dragX = null; });
  scatter.canvas.addEventListener("pointermove", (e) => {
    if (dragX === null) return;
    angle.value = String((Number(angle.value) + (e.clientX - dragX) / 2 + 180) % 180);
    dragX = e.clientX;
    useFound.checked = false;
    redraw();
  });

  const prog = progress();
  const [drawBtn, drawErr] = action(`Draw ${SAMPLES} samples`, async () => {
    const x = await client.samples(inst.id, SAMPLES);
    const old = m();
    if (old) {
      const data = new Float64Array(old.data.length + x.data.length);
      data.set(old.data);
      data.set(x.data, old.data.length);
      ctx.drawn.set(inst.id, { data, rows: old.rows + x.rows, cols: d });
    } else ctx.drawn.set(inst.id, x);
    Object.assign(inst, await client.instance(inst.id));
    budget.textContent = budgetText(inst);
    redraw();
  }, { id: "draw" });
  const [findBtn, findErr] = action("Find the hidden direction (lattice)", async () => {
    const x = m();
    if (!x || x.rows < 3 * d + 20) throw new Error(`Draw at least ${3 * d + 20} samples first.`);
    prog.set(0, "LLL reduction in a Worker…");
    const t0 = performance.now();
    const { result } = await runWorker("lattice.mjs", { data: x.data, d, n: 3 * d },
      (q) => prog.set(q.progress, "LLL reduction in a Worker…"));
    prog.set(1, `done in ${fmt((performance.now() - t0) / 1000, 2)} s; residual ${fmt(result.residual)}`);
    found = result.direction;
    useFound.disabled = false;
    useFound.checked = true;
    redraw();
  }, { id: "find", class: "secondary" });

  const answerRow = ch.kind === "distinguish"
    ? [action("Planted", () => answer({ guess: "planted" }), { id: "guess-planted" }),
      action("Null", () => answer({ guess: "null" }), { id: "guess-null" })]
    : [action("Submit this direction", () => answer({ direction: direction() }), { id: "submit-direction" })];

  return h("div", {},
    budget,
    h("div", { class: "row" }, drawBtn, d <= 32 && a ? findBtn : null, prog), drawErr, findErr,
    h("div", { class: "split" },
      h("div", {},
        h("h3", {}, "Scatter of two projections"),
        h("div", { class: "row" }, h("label", {}, "horizontal ", selI), h("label", {}, "turned toward ", selJ),
          h("label", {}, "by ", angle), h("label", {}, "vertical ", selV)),
        h("div", { class: "row" }, h("label", {}, useFound, "use the found direction")),
        scatter.canvas),
      h("div", {},
        h("h3", {}, "Histogram along the horizontal direction"),
        h("div", { class: "row" }, h("label", {}, aid, "periodicity aid (marks at the spacing)")),
        hist.canvas, stat, pgram)),
    h("h3", {}, ch.kind === "distinguish" ? "Your call for this round" : "Your answer"),
    h("div", { class: "row" }, answerRow.map(([b]) => b)), answerRow.map(([, e]) => e));
}

function parseUpload(bytes, name) {
  if (name.endsWith(".npy")) return npyDecode(new Uint8Array(bytes));
  const rows = new TextDecoder().decode(bytes).trim().split(/\r?\n/)
    .filter((l) => l && !/^[a-z#]/i.test(l.trim()))
    .map((l) => l.split(/[,\s]+/).filter(Boolean).map(Number));
  return toMatrix(rows);
}

// Score and density rounds: the eval points out, answers in.  The
// points come from the round's eval endpoint (NPY), or inline.
function evalTool(ctx, ch, round, answer) {
  const box = h("div", {}, h("p", { class: "muted" }, "Fetching the evaluation points…"));
  const err = errorLine();
  const inline = round.eval ? Promise.resolve({ t: round.eval.t, points: toMatrix(round.eval.points) })
    : ctx.client().roundEval(ch.id, round.index);
  inline.then((ev) => {
    const rows = Array.from({ length: ev.points.rows }, (_, i) =>
      Array.from(ev.points.data.subarray(i * ev.points.cols, (i + 1) * ev.points.cols)));
    box.replaceChildren(evalPanel(ch, round, { t: ev.t, points: rows }, answer));
  }).catch((e) => { box.replaceChildren(err); err.show(e); });
  return box;
}

function evalPanel(ch, round, ev, answer) {
  const d = round.instance.dim;
  const n = ev.points.length;
  const field = ch.kind === "score" ? "scores" : "logpdf";
  const csv = ["t," + Array.from({ length: d }, (_, j) => `x${j + 1}`).join(","),
    ...ev.points.map((p, i) => [ev.t[i], ...p].join(","))].join("\n") + "\n";
  const [npyBtn] = action("Points as NPY", () => download(`eval-${round.index}.npy`, npyEncode(ev.points), "application/octet-stream"),
    { class: "secondary" });
  const [tBtn] = action("Times as NPY", () => download(`eval-t-${round.index}.npy`, npyEncode(ev.t), "application/octet-stream"),
    { class: "secondary" });
  const [csvBtn] = action("Points and times as CSV", () => download(`eval-${round.index}.csv`, csv, "text/csv"),
    { class: "secondary" });
  const file = h("input", { type: "file", accept: ".npy,.csv,.txt", "aria-label": "answer file" });
  const [upBtn, upErr] = action("Submit the file", async () => {
    const f = file.files[0];
    if (!f) throw new Error("Choose a file first.");
    const m = parseUpload(await f.arrayBuffer(), f.name.toLowerCase());
    const rows = Array.from({ length: m.rows }, (_, i) => Array.from(m.data.slice(i * m.cols, (i + 1) * m.cols)));
    await answer(field === "scores" ? { scores: rows } : { logpdf: rows.map((r) => r[0]) });
  });
  const [baseBtn, baseErr] = action("Submit the Gaussian baseline", () => answer(field === "scores"
    ? { scores: ev.points.map((p) => p.map((v) => -v)) }
    : { logpdf: ev.points.map((p) => -0.5 * p.reduce((s, v) => s + v * v, 0) - (d / 2) * Math.log(2 * Math.PI)) }),
  { id: "baseline", class: "secondary" });
  return h("div", {},
    h("p", {}, `${n} evaluation points in dimension ${d}; answer ${field === "scores" ? "a score vector" : "a log-density"} for each.`),
    h("div", { class: "row" }, npyBtn, tBtn, csvBtn),
    h("div", { class: "row" }, file, upBtn), upErr,
    h("p", { class: "muted" }, field === "scores" ? "Baseline: s(x) = -x, the score of N(0, I)." : "Baseline: the log-density of N(0, I)."),
    h("div", { class: "row" }, baseBtn), baseErr);
}

// Posterior rounds: the measurement y, brute force over the seeds.
function posteriorTool(ctx, ch, round, answer) {
  const p = round.instance.params || {};
  const y = round.y || [];
  const prog = progress();
  const seedOut = h("p", { id: "seed-out" });
  let seed = null;
  const [bruteBtn, bruteErr] = action(`Brute force 2^${p.seed_bits} seeds`, async () => {
    const r = await runWorker("brute.mjs", { fKey: p.f_key, seedBits: p.seed_bits, imageBits: p.image_bits, delta: p.delta, y },
      (q) => prog.set(q.progress, `${q.tried} seeds tried`));
    prog.set(1, `${r.tried} seeds tried`);
    seed = r.seed;
    seedOut.textContent = seed ? `Found seed ${seed}.` : "No seed inverts this y.";
  }, { id: "brute" });
  const [sendBtn, sendErr] = action("Submit the seed", () => {
    if (!seed) throw new Error("Find a seed first.");
    return answer({ seed });
  }, { id: "submit-seed" });
  return h("div", {},
    h("p", {}, `f keyed by `, h("code", {}, p.f_key), `: ${p.seed_bits} seed bits to ${p.image_bits} image bits.`),
    h("details", {}, h("summary", {}, `The measurement y (${y.length} numbers)`), h("pre", {}, y.map((v) => fmt(v, 4)).join(" "))),
    h("div", { class: "row" }, bruteBtn, prog), bruteErr, seedOut,
    h("div", { class: "row" }, sendBtn), sendErr);
}

const TOOLS = { distinguish: samplesTool, recover: samplesTool, score: evalTool, density: evalTool, posterior: posteriorTool };

export async function render(view, ctx, [id]) {
  if (!ctx.session()) throw new Error("Sign in first (Account) to play.");
  const client = ctx.client();
  const ch = await client.challenge(id);
  if (ch.status === "finished") { ctx.go(`#/reveal/${id}`); return; }
  const panel = h("div", { class: "card", id: "round-panel" });
  const bar = h("div", { class: "rounds", role: "group", "aria-label": "rounds" });
  let current = 0;
  const show = (i) => {
    current = i;
    bar.replaceChildren(...ch.rounds.map((r) => h("button", {
      type: "button", class: `${r.answered ? "done" : "secondary"}${r.index === i ? " current" : ""}`,
      "aria-pressed": r.index === i ? "true" : "false", "aria-label": `round ${r.index + 1}${r.answered ? ", answered" : ""}`,
      onclick: () => show(r.index),
    }, String(r.index + 1))));
    const round = ch.rounds[i];
    const tool = TOOLS[ch.kind] || samplesTool;
    panel.replaceChildren(h("h2", { id: "round-title" }, `Round ${i + 1} of ${ch.rounds.length}`),
      round.answered ? h("p", { class: "ok" }, "Answered.") : tool(ctx, ch, round, answer));
  };
  async function answer(body) {
    const out = await client.answer(ch.id, current, body);
    ch.rounds[current].answered = true;
    if (out.status === "finished") { ctx.go(`#/reveal/${ch.id}`); return; }
    const next = ch.rounds.find((r) => !r.answered);
    show(next ? next.index : current);
  }
  const [finishBtn, finishErr] = action("Finish now and reveal", async () => {
    await client.finish(ch.id);
    ctx.go(`#/reveal/${ch.id}`);
  }, { class: "secondary", id: "finish" });
  view.append(
    h("h1", {}, `Play ${ch.kind}`, ch.preset ? ` · ${ch.preset}` : ""),
    h("p", { class: "muted" }, "Challenge ", h("code", { class: "dyn" }, ch.id), ". Commitment to every secret, published before you play: ",
      h("code", { class: "dyn" }, ch.commitment)),
    bar, panel, h("div", { class: "row" }, finishBtn), finishErr);
  const first = ch.rounds.find((r) => !r.answered);
  show(first ? first.index : 0);
}
