// The leaderboard: one board per kind and preset (and season, when the
// server has them), each row with its receipt and a verify button.
import { h, action, select, fmt } from "../lib/ui.mjs";
import { summary } from "../lib/summary.mjs";
import { verifyReceipt } from "../scoracle.mjs";

function row(r, key) {
  const status = h("span", { class: "verify-status" });
  const [btn, err] = action("Verify", async () => {
    status.textContent = "";
    const payload = await verifyReceipt(r.receipt, key);
    const same = payload.challenge === r.challenge && payload.player === r.player;
    status.className = `verify-status ${same ? "ok" : "bad"}`;
    status.textContent = same ? "✓ signed by the server" : "✗ the receipt names another game";
  }, { class: "secondary", "aria-label": `verify the receipt of rank ${r.rank}` });
  return h("tr", { dataset: { challenge: r.challenge } },
    h("td", {}, String(r.rank)),
    h("td", {}, r.player_name),
    h("td", {}, summary(r.result)),
    h("td", {}, String(r.rounds), r.attempts ? ` in ${r.attempts} attempt${r.attempts > 1 ? "s" : ""}` : ""),
    h("td", { class: "dyn" }, (r.finished_at || "").replace("T", " ").replace("Z", "")),
    h("td", {}, btn, " ", status, err));
}

export async function render(view, ctx, [kindArg]) {
  const info = await ctx.info();
  const kinds = info.kinds || ["distinguish"];
  const kind = kinds.includes(kindArg) ? kindArg : kinds[0];
  const presets = [["", "every preset"], ...(info.presets || []).filter((p) => (p.kinds || []).includes(kind)).map((p) => [p.name])];
  const pick = select("kind", kinds.map((k) => [k]), kind, { "aria-label": "kind" });
  const pickPreset = select("preset", presets, "", { "aria-label": "preset" });
  // Seasons, when the server runs them (GET /v1/seasons, no token).
  let seasons = null;
  try {
    const out = await ctx.client().call("GET", "/v1/seasons", "/v1/seasons", { auth: false });
    seasons = out.seasons && out.seasons.length ? out.seasons : null;
  } catch (e) {
    if (e.status !== 404 && e.status !== 405) throw e;
  }
  const pickSeason = seasons ? select("season", [["", "current season"], ...seasons.map((s) => [String(s.id ?? s), String(s.name ?? s.id ?? s)])], "",
    { "aria-label": "season" }) : null;
  const boards = h("div", { id: "boards" });
  const load = async () => {
    const query = { kind: pick.value, preset: pickPreset.value || undefined, season: pickSeason && pickSeason.value ? pickSeason.value : undefined };
    const lb = await ctx.client().call("GET", "/v1/leaderboard", "/v1/leaderboard", { query, auth: false });
    boards.replaceChildren();
    if (!lb.boards.length) boards.append(h("p", { class: "muted" }, "No finished public games of this kind yet."));
    for (const b of lb.boards) {
      boards.append(h("section", { class: "card" },
        h("h2", {}, `${b.kind} · ${b.preset || "custom parameters"}`, b.season ? ` · season ${b.season}` : ""),
        b.rule ? h("p", { class: "muted" }, `Standing rule: ${b.rule} (one row per player, every public attempt pooled).`) : null,
        h("div", { class: "table-wrap" }, h("table", {},
          h("thead", {}, h("tr", {}, ["#", "player", "result", "rounds", "finished (UTC)", "receipt"].map((t) => h("th", {}, t)))),
          h("tbody", {}, b.rows.map((r) => row(r, info.receipt_key)))))));
    }
  };
  pick.addEventListener("input", () => ctx.go(`#/board/${pick.value}`));
  pickPreset.addEventListener("input", load);
  if (pickSeason) pickSeason.addEventListener("input", load);
  view.append(h("h1", {}, "Leaderboard"),
    h("p", { class: "muted" }, "Every row carries the server's signed receipt: verify it here, in your browser, ",
      "against the key from /v1/info (", h("code", {}, fmt(info.receipt_key)), ")."),
    h("div", { class: "row" }, h("label", {}, "kind ", pick), h("label", {}, "preset ", pickPreset), pickSeason ? h("label", {}, "season ", pickSeason) : null),
    boards);
  await load();
}
