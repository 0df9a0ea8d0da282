// The ladder: every preset of /v1/info, easy to hard, with its hardness
// card (when the server has one) and a button per game kind.
import { h, action, fmt } from "../lib/ui.mjs";

const CARD_ROWS = [
  ["regime", "regime", (v) => v],
  ["tv_along_secret", "TV along the secret", fmt],
  ["known_secret_power", "power knowing u", fmt],
  ["unbounded_search_samples", "samples for brute force", fmt],
  ["search_space_log2", "directions searched", (v) => (typeof v === "number" ? `2^${fmt(v, 1)}` : "–")],
];

function hardness(card) {
  if (!card) return h("p", { class: "muted hard" }, "No hardness card from this server.");
  const rows = CARD_ROWS.filter(([k]) => card[k] !== undefined)
    .map(([k, label, f]) => [h("dt", { title: (card.method || {})[k] }, label), h("dd", {}, f(card[k]))]);
  const best = card.best_attack;
  if (best) {
    rows.push([h("dt", {}, "best attack"), h("dd", {}, `${best.name}: win rate ${fmt(best.win_rate)}` +
      (typeof best.seconds_per_round === "number" ? `, ${fmt(best.seconds_per_round)} s/round` : "") +
      (best.extrapolated ? " (extrapolated)" : ""))]);
  }
  return h("div", { class: "hard" }, h("dl", {}, rows));
}

// Public parameters worth reading (a key of zeros is a placeholder: each
// round draws its own).
const paramText = (p) => Object.entries(p).filter(([k, v]) => v !== 0 && k !== "f_key")
  .map(([k, v]) => `${k} = ${v}`).join(", ");
const budgetText = (b) => Object.entries(b).filter(([, v]) => v > 0)
  .map(([k, v]) => `${k} ${v}`).join(", ") || "unlimited";

export async function render(view, ctx) {
  const info = await ctx.info();
  const presets = info.presets || [];
  view.append(h("h1", {}, "The ladder"),
    h("p", { class: "muted" }, "Named games from easy to hard. Each round hides a fresh secret; ",
      "the server commits to every secret before you play and opens them all at the end."));
  const grid = h("div", { class: "grid" });
  for (const p of presets) {
    const buttons = (p.kinds || []).map((kind) => action(`Play ${kind}`, async () => {
      if (!ctx.session()) throw new Error("Sign in first (Account) to play.");
      const ch = await ctx.client().createChallenge(kind, null, undefined, { preset: p.name });
      ctx.go(`#/play/${ch.id}`);
    }, { class: "secondary", "data-preset": p.name, "data-kind": kind }));
    grid.append(h("section", { class: "card", "aria-label": p.name },
      h("h2", {}, p.name, " ", h("span", { class: "badge" }, p.family)),
      h("p", {}, p.doc),
      h("p", { class: "muted" }, paramText(p.params || {}), `; ${p.rounds} rounds; budget per round: `,
        budgetText(p.budget || {})),
      hardness(p.hardness),
      h("div", { class: "row" }, buttons.map(([b]) => b)),
      buttons.map(([, e]) => e)));
  }
  view.append(grid);
}
