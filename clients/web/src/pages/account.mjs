// Register or sign in with a token.  A new token is shown once, with a
// copy button; it is kept in this browser's localStorage, never in a URL.
import * as session from "../lib/session.mjs";
import { Client } from "../scoracle.mjs";
import { h, form, field, action } from "../lib/ui.mjs";

function shownOnce(token, note) {
  const [copy, err] = action("Copy", async (btn) => {
    await navigator.clipboard.writeText(token);
    btn.textContent = "Copied";
  }, { class: "secondary" });
  return h("div", { class: "card", id: "new-token" },
    h("p", {}, note),
    h("p", { class: "token", id: "token-text" }, token),
    h("div", { class: "row" }, copy), err);
}

async function signIn(token, ctx) {
  const me = await new Client(location.origin, { token }).me();
  session.save({ token, id: me.id, name: me.name, role: me.role });
  ctx.who();
  return me;
}

export async function render(view, ctx) {
  const s = ctx.session();
  const out = h("div", { id: "account-out" });
  view.append(h("h1", {}, "Account"));
  if (s) {
    const [signOut] = action("Sign out", () => { session.clear(); ctx.who(); return render(view.replaceChildren() || view, ctx); },
      { class: "secondary" });
    view.append(h("div", { class: "card" },
      h("p", {}, "Signed in as ", h("strong", { id: "me-name" }, s.name), ` (${s.role}, `, h("code", {}, s.id), ")."),
      h("div", { class: "row" }, signOut)));
    if (s.role === "admin" || s.role === "instructor") {
      view.append(h("h2", {}, "Create an instructor"), form([
        field("Name", { name: "name", required: true, autocomplete: "off" }),
      ], "Create instructor", async ({ name }) => {
        const p = await ctx.client().register(name, "instructor");
        out.replaceChildren(shownOnce(p.token, `Instructor ${p.name}'s token, shown once: hand it over now.`));
      }, { id: "instructor-form" }), out);
    }
    return;
  }
  view.append(
    h("h2", {}, "New player"),
    h("p", { class: "muted" }, "Pick a name for the leaderboard. You get a token: it is your only key."),
    form([field("Name", { name: "name", required: true, maxlength: 64, autocomplete: "nickname" })],
      "Register", async ({ name }) => {
        const p = await ctx.client().register(name);
        session.save({ token: p.token, id: p.id, name: p.name, role: p.role });
        ctx.who();
        view.replaceChildren(h("h1", {}, `Welcome, ${p.name}`),
          shownOnce(p.token, "Your token, shown once. Copy it somewhere safe: " +
            "this browser keeps it, but nothing else can give it back."),
          h("p", {}, h("a", { href: "#/ladder" }, "On to the ladder →")));
      }, { id: "register-form" }),
    out,
    h("h2", {}, "Sign in with a token"),
    form([field("Token", { name: "token", type: "password", required: true, autocomplete: "off" })],
      "Sign in", async ({ token }) => {
        const me = await signIn(token.trim(), ctx);
        out.replaceChildren(h("p", { class: "ok" }, `Signed in as ${me.name}.`));
      }, { id: "signin-form" }),
  );
}
