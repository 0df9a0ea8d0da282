// The arena's router: #/page/arg -> pages/<page>.mjs render(view, ctx).
import * as session from "./lib/session.mjs";
import { h, problemText } from "./lib/ui.mjs";

const PAGES = {
  "": ["learn", "Learn"],
  ladder: ["ladder", "Ladder"],
  account: ["account", "Account"],
  me: ["me", "My games"],
  play: ["play", "Play"],
  reveal: ["reveal", "Reveal"],
  board: ["board", "Leaderboard"],
  classes: ["classes", "Classes"],
};

let infoPromise = null;
// Samples the player drew, by instance id, so the reveal can redraw the
// scatter the player saw.
const drawn = new Map();

const ctx = {
  client: session.client,
  session: session.load,
  info() {
    if (!infoPromise) infoPromise = session.client().info().catch((e) => { infoPromise = null; throw e; });
    return infoPromise;
  },
  drawn,
  go(hash) { location.hash = hash; },
  who,
};

function who() {
  const s = session.load();
  document.getElementById("who").textContent = s ? `${s.name} (${s.role})` : "Sign in";
}

let seq = 0;
async function route() {
  const mine = ++seq;
  const [name = "", ...args] = location.hash.replace(/^#\/?/, "").split("/");
  const [file, title] = PAGES[name] || PAGES[""];
  const view = document.getElementById("view");
  for (const a of document.querySelectorAll("nav a")) {
    const target = a.getAttribute("href").replace(/^#\/?/, "").split("/")[0];
    if (target === name || (name === "play" && target === "me") || (name === "reveal" && target === "me")) {
      a.setAttribute("aria-current", "page");
    } else a.removeAttribute("aria-current");
  }
  document.title = `${title} · scoracle arena`;
  who();
  try {
    const page = await import(`./pages/${file}.mjs`);
    if (mine !== seq) return;
    view.replaceChildren();
    await page.render(view, ctx, args.map(decodeURIComponent));
  } catch (e) {
    if (mine !== seq) return;
    view.replaceChildren(h("h1", {}, title), h("p", { class: "error", role: "alert" }, problemText(e)));
  }
  if (mine === seq) {
    view.dataset.ready = location.hash || "#/";
    if (document.activeElement === document.body || !view.contains(document.activeElement)) {
      view.focus({ preventScroll: true });
    }
  }
}

window.addEventListener("hashchange", route);
route();
