// The reveal: the result, the secret direction drawn into the scatter
// the player saw, and every commitment opened and the receipt verified
// here in the page, with the bytes shown.
import { h, action, errorLine, select, fmt } from "../lib/ui.mjs";
import { Scatter, Histogram } from "../lib/plots.mjs";
import { project } from "../lib/lattice.mjs";
import * as sc from "../scoracle.mjs";

const short = (hex) => (hex.length > 24 ? `${hex.slice(0, 16)}…${hex.slice(-8)}` : hex);

function resultTable(result) {
  return h("div", { class: "table-wrap" }, h("table", { id: "result" },
    h("tbody", {}, Object.entries(result || {}).map(([k, v]) => h("tr", {}, h("th", {}, k),
      h("td", {}, typeof v === "object" ? JSON.stringify(v) : fmt(v, 6)))))));
}

// Opens every round's commitment, then the challenge's: one line each.
function verifyCommitments(ch) {
  const rev = ch.reveal;
  const shown = new Map(ch.rounds.map((r) => [r.index, r.instance]));
  const rows = rev.rounds.map((r) => {
    const inst = shown.get(r.index);
    const id = inst.id;
    let ok;
    let msg;
    try {
      sc.openInstance(id, r.instance, inst.commitment);
      ok = true;
      msg = "opens";
    } catch (e) { ok = false; msg = e.message; }
    const bytes = sc.hexOf(sc.secretBytes(r.instance.secret || {}));
    return h("tr", { dataset: { ok: String(ok) } },
      h("td", {}, String(r.index + 1)),
      h("td", { class: "coin dyn" }, r.planted === false ? "null" : "planted"),
      h("td", {}, r.answered === false ? h("span", { class: "muted" }, "unanswered") : r.outcome ? (r.outcome.correct === false ? h("span", { class: "bad" }, "wrong")
        : r.outcome.correct === true ? h("span", { class: "ok" }, "right") : JSON.stringify(r.outcome)) : "–"),
      h("td", {}, h("code", { title: inst.commitment }, short(inst.commitment))),
      h("td", {}, h("span", { class: ok ? "ok" : "bad" }, ok ? "✓ " : "✗ ", msg)),
      h("td", {}, h("details", {}, h("summary", {}, "bytes"),
        h("pre", { class: "bytes" }, `salt   ${r.instance.salt}\nsecret ${bytes || "(none)"}\n` +
          `BLAKE2b-256(key = salt, "scoracle-commit-v1" 0 ${id} 0 secret)\n     = ${inst.commitment}`))));
  });
  let chOk;
  let chMsg;
  try {
    const coins = sc.openChallenge(ch, ch.reveal);
    chOk = true;
    chMsg = `the challenge commitment opens over ${coins.length} coins`;
  } catch (e) { chOk = false; chMsg = e.message; }
  const rBytes = rev.rounds.map((r) => (r.planted === false ? "00" : "01") + shown.get(r.index).commitment).join(" ");
  const all = chOk && rows.every((r) => r.dataset.ok === "true");
  return h("div", {},
    h("p", { id: "verify-commitments", class: all ? "ok" : "bad", dataset: { ok: String(all) } },
      all ? "✓ every commitment verified" : "✗ a commitment does not open"),
    h("div", { class: "table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, ["round", "coin", "you", "commitment", "check", ""].map((t) => h("th", {}, t)))),
      h("tbody", {}, rows))),
    h("p", { class: chOk ? "ok" : "bad" }, chOk ? "✓ " : "✗ ", chMsg),
    h("details", {}, h("summary", {}, "challenge commitment bytes"),
      h("pre", { class: "bytes" }, `salt ${rev.salt}\nR = ${rBytes}\nBLAKE2b-256(key = salt, "scoracle-challenge-v1" 0 ${ch.id} 0 R)\n  = ${ch.commitment}`)));
}

async function verifyReceiptBox(receipt, key) {
  const out = h("div", { id: "verify-receipt" });
  try {
    const payload = await sc.verifyReceipt(receipt, key);
    out.dataset.ok = "true";
    out.append(h("p", { class: "ok" }, "✓ receipt signature verified under the server's key ", h("code", {}, key)));
    out.append(h("details", {}, h("summary", {}, "signed payload"), h("pre", { class: "bytes" }, JSON.stringify(payload, null, 1))),
      h("details", {}, h("summary", {}, "signature"), h("pre", { class: "bytes" }, receipt.signature)));
  } catch (e) {
    out.dataset.ok = "false";
    out.append(h("p", { class: "bad" }, "✗ ", e.message));
  }
  return out;
}

function roundView(ctx, ch) {
  const planted = ch.reveal.rounds.filter((r) => r.instance && r.instance.secret && r.instance.secret.u);
  if (!planted.length) return null;
  const scatter = new Scatter({ half: 4, aspect: 0.7, label: "your last view, the secret u in red" });
  const hist = new Histogram({ half: 4 });
  const err = errorLine();
  const seen = planted.find((r) => ctx.drawn.has(ch.rounds[r.index].instance.id)) || planted[0];
  const pick = select("round", planted.map((r) => [String(r.index), `round ${r.index + 1} (${r.planted === false ? "null" : "planted"})`]),
    String(seen.index), { "aria-label": "round to show", class: "dyn" });
  const draw = () => {
    const r = ch.reveal.rounds.find((q) => String(q.index) === pick.value);
    const inst = ch.rounds[r.index].instance;
    const d = inst.dim;
    const u = r.instance.secret.u;
    const x = ctx.drawn.get(inst.id);
    const e = (i) => Array.from({ length: d }, (_, j) => (j === i ? 1 : 0));
    // The projections the player last looked at (axes 1 and 3 unseen).
    const view = (x && x.view) || { h: e(0), v: e(d > 2 ? 2 : d - 1) };
    const dot = (a, b) => a.reduce((s, ai, i) => s + ai * b[i], 0);
    scatter.arrow([dot(u, view.h), dot(u, view.v)], "u");
    if (x) {
      scatter.set(project(x.data, d, view.h), project(x.data, d, view.v));
      hist.set(project(x.data, d, u));
    } else {
      scatter.set(new Float64Array(0), new Float64Array(0));
      hist.set(new Float64Array(0));
    }
  };
  pick.addEventListener("input", draw);
  const [more, moreErr] = action("Draw 300 samples of this round", async () => {
    const inst = ch.rounds[Number(pick.value)].instance;
    ctx.drawn.set(inst.id, await ctx.client().samples(inst.id, 300));
    draw();
  }, { class: "secondary" });
  setTimeout(draw, 0);
  return h("div", { class: "card" }, h("h2", {}, "The secret, drawn in"),
    h("div", { class: "row" }, h("label", {}, "show ", pick), more), moreErr, err,
    h("div", { class: "split" }, h("div", {}, h("h3", {}, "Your scatter"), scatter.canvas),
      h("div", {}, h("h3", {}, "Histogram along the secret u"), hist.canvas)));
}

export async function render(view, ctx, [id]) {
  if (!ctx.session()) throw new Error("Sign in first (Account) to see your challenges.");
  const client = ctx.client();
  const ch = await client.challenge(id);
  view.append(h("h1", {}, `Reveal: ${ch.kind}`, ch.preset ? ` · ${ch.preset}` : ""),
    h("p", { class: "muted" }, "Challenge ", h("code", { class: "dyn" }, ch.id), "."));
  if (ch.status !== "finished") {
    const [fin, err] = action("Finish and reveal", async () => { await client.finish(id); view.replaceChildren(); await render(view, ctx, [id]); });
    view.append(h("p", {}, "This challenge is still open."), h("div", { class: "row" }, fin, h("a", { class: "button secondary", href: `#/play/${id}` }, "Back to play")), err);
    return;
  }
  // The reveal and receipt come with the finished challenge, or from its
  // reveal endpoint.
  if (!ch.reveal || !ch.receipt) Object.assign(ch, await client.challengeReveal(id));
  const info = await ctx.info();
  view.append(h("div", { class: "card" }, h("h2", {}, "Result"), resultTable(ch.result),
    h("p", {}, h("a", { href: `#/board/${ch.kind}` }, "See the leaderboard →"))));
  const rv = roundView(ctx, ch);
  if (rv) view.append(rv);
  view.append(h("div", { class: "card" }, h("h2", {}, "Commitments, opened in this page"), verifyCommitments(ch)),
    h("div", { class: "card" }, h("h2", {}, "Receipt"), await verifyReceiptBox(ch.receipt, info.receipt_key)));
}
