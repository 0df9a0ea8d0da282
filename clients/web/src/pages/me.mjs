// The player's own challenges, newest first, with their round budgets.
import { h, action } from "../lib/ui.mjs";
import { summary } from "../lib/summary.mjs";

export async function render(view, ctx) {
  const s = ctx.session();
  view.append(h("h1", {}, "My games"));
  if (!s) {
    view.append(h("p", {}, h("a", { href: "#/account" }, "Register or sign in"), " to play."));
    return;
  }
  const client = ctx.client();
  const { challenges } = await client.challenges();
  view.append(h("p", { class: "muted" }, `Signed in as ${s.name}. Each round of a challenge has its own oracle budget; `,
    "the play page shows it and spends it as the server does."));
  if (!challenges.length) {
    view.append(h("p", {}, "No challenges yet: ", h("a", { href: "#/ladder" }, "pick one on the ladder"), "."));
    return;
  }
  const rows = challenges.map((c) => {
    const budget = Object.entries((c.params && c.params.budget) || {}).filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${v}`).join(", ") || "unlimited";
    const open = c.status === "open";
    return h("tr", {},
      h("td", {}, h("a", { href: open ? `#/play/${c.id}` : `#/reveal/${c.id}` }, c.kind, c.preset ? ` · ${c.preset}` : "")),
      h("td", {}, String(c.round_count)),
      h("td", {}, budget, " per round"),
      h("td", {}, open ? h("span", { class: "badge" }, "open") : summary(c.result)),
      h("td", { class: "dyn" }, (c.created_at || "").replace("T", " ").replace("Z", "")));
  });
  view.append(h("div", { class: "table-wrap" }, h("table", { id: "my-challenges" },
    h("thead", {}, h("tr", {}, ["game", "rounds", "budget", "status", "created (UTC)"].map((t) => h("th", {}, t)))),
    h("tbody", {}, rows))));
  const [more] = action("Refresh", () => { view.replaceChildren(); return render(view, ctx); }, { class: "secondary" });
  view.append(h("div", { class: "row" }, more));
}
