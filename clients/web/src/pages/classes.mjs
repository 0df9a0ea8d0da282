// Classes: a student joins with a code and sees assignments and
// progress; an instructor creates a class, sees its join code again,
// sets assignments, watches progress and downloads the CSV.
import * as session from "../lib/session.mjs";
import { h, action, form, field, select, download } from "../lib/ui.mjs";
import { summary } from "../lib/summary.mjs";

const JOINED = "scoracle.joined";

function joinForm(ctx, view) {
  return form([field("Join code", { name: "code", required: true, autocomplete: "off" }),
    field("Your name", { name: "name", required: true, maxlength: 64 })], "Join", async ({ code, name }) => {
    const out = await ctx.client().joinClass(code.trim(), name);
    session.save({ token: out.token, id: out.id, name: out.name, role: out.role });
    localStorage.setItem(JOINED, JSON.stringify(out.class));
    ctx.who();
    view.replaceChildren();
    await render(view, ctx);
    view.prepend(h("div", { class: "card", id: "new-token" },
      h("p", {}, "Your token, shown once (this browser keeps it):"), h("p", { class: "token" }, out.token)));
  }, { id: "join-form" });
}

async function studentView(ctx, view) {
  const joined = JSON.parse(localStorage.getItem(JOINED) || "null");
  const { challenges } = await ctx.client().challenges();
  view.append(h("h2", {}, joined ? `Class: ${joined.name}` : "Your assignments"),
    h("p", { class: "muted" }, "Each assignment is a challenge of your own, with your own secrets."));
  if (!challenges.length) view.append(h("p", { id: "no-assignments" }, "No assignments yet."));
  else {
    view.append(h("div", { class: "table-wrap" }, h("table", { id: "assignments" },
      h("thead", {}, h("tr", {}, ["game", "rounds", "progress"].map((t) => h("th", {}, t)))),
      h("tbody", {}, challenges.map((c) => h("tr", {},
        h("td", {}, h("a", { href: c.status === "open" ? `#/play/${c.id}` : `#/reveal/${c.id}` }, c.kind, c.preset ? ` · ${c.preset}` : "")),
        h("td", {}, String(c.round_count)),
        h("td", {}, c.status === "open" ? "open: play it" : `finished: ${summary(c.result)}`)))))));
  }
  view.append(h("h2", {}, "Join another class"), h("p", { class: "muted" }, "Joining makes a new player for that class."), joinForm(ctx, view));
}

function classCard(ctx, info, c) {
  const client = ctx.client();
  const progress = h("div", { class: "table-wrap" });
  const roster = h("p", { class: "muted" });
  const refresh = async () => {
    const [cls, res] = await Promise.all([client.call("GET", `/v1/classes/${encodeURIComponent(c.id)}`, "/v1/classes/{id}"),
      client.classResults(c.id)]);
    roster.textContent = `${cls.students.length} student(s): ${cls.students.map((s) => s.name).join(", ") || "none yet"}; ` +
      `${cls.assignments.length} assignment(s).`;
    progress.replaceChildren(h("table", { class: "progress" },
      h("thead", {}, h("tr", {}, ["student", "game", "status", "result"].map((t) => h("th", {}, t)))),
      h("tbody", {}, res.results.map((r) => h("tr", {}, h("td", {}, r.player_name),
        h("td", {}, r.kind, r.preset ? ` · ${r.preset}` : ""), h("td", {}, r.status), h("td", {}, summary(r.result)))))));
  };
  const kinds = info.kinds || [];
  const presets = (info.presets || []).map((p) => [p.name]);
  const [refreshBtn, refreshErr] = action("Refresh progress", refresh, { class: "secondary" });
  const [csvBtn, csvErr] = action("Download CSV", async () => {
    download(`class-${c.id}.csv`, await client.classResults(c.id, { csv: true }), "text/csv");
  }, { class: "secondary" });
  const assign = form([
    h("label", {}, "kind ", select("kind", kinds.map((k) => [k]), "distinguish")),
    h("label", {}, "preset ", select("preset", presets, presets.length ? presets[0][0] : "")),
    field("rounds", { name: "rounds", type: "number", min: 1, max: 100, value: 5 }),
  ], "Assign", async ({ kind, preset, rounds }) => {
    await client.createAssignment(c.id, { kind, preset, rounds: Number(rounds) });
    await refresh();
  }, { class: "row assign-form" });
  setTimeout(() => refresh().catch((e) => refreshErr.show(e)), 0);
  return h("section", { class: "card", dataset: { class: c.id } },
    h("h3", {}, c.name),
    h("p", {}, "Join code: ", h("strong", { class: "join-code token" }, c.join_code || "(not kept in this browser)")),
    roster, h("h3", {}, "Set an assignment"), assign,
    h("h3", {}, "Progress"), progress, h("div", { class: "row" }, refreshBtn, csvBtn), refreshErr, csvErr);
}

// The instructor's classes as the server lists them, with their join
// codes; a server without the list falls back to those this browser made.
async function myClasses(ctx) {
  try {
    return (await ctx.client().call("GET", "/v1/classes", "/v1/classes")).classes;
  } catch (e) {
    if (e.status === 404 || e.status === 405) return session.classes();
    throw e;
  }
}

async function instructorView(ctx, view) {
  const info = await ctx.info();
  const list = h("div", { id: "my-classes" });
  const show = async () => {
    const classes = await myClasses(ctx);
    list.replaceChildren(...classes.map((c) => classCard(ctx, info, c)));
    if (!classes.length) list.append(h("p", { class: "muted" }, "No classes yet."));
  };
  view.append(h("h2", {}, "New class"), form([field("Class name", { name: "name", required: true, maxlength: 64 })],
    "Create class", async ({ name }) => {
      const c = await ctx.client().createClass(name);
      session.addClass({ id: c.id, name: c.name || name, join_code: c.join_code });
      await show();
    }, { id: "class-form" }),
  h("h2", {}, "Your classes"), list);
  await show();
}

export async function render(view, ctx) {
  const s = ctx.session();
  view.append(h("h1", {}, "Classes"));
  if (!s) {
    view.append(h("p", {}, "Students: join with the code your instructor gave you. ",
      "Instructors: ", h("a", { href: "#/account" }, "sign in"), " with your instructor token."), joinForm(ctx, view));
    return;
  }
  if (s.role === "instructor" || s.role === "admin") await instructorView(ctx, view);
  else await studentView(ctx, view);
}
