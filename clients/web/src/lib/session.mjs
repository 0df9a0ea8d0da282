// The signed-in player: the token lives in localStorage only (never in a
// URL), with the player's id, name and role as /v1/players/me gave them.
import { Client } from "../scoracle.mjs";

const KEY = "scoracle.session";
const CLASSES = "scoracle.classes";

export function load() {
  try { return JSON.parse(localStorage.getItem(KEY)) || null; } catch { return null; }
}
export function save(s) { localStorage.setItem(KEY, JSON.stringify(s)); }
export function clear() { localStorage.removeItem(KEY); }

// A client for this origin, with the session's token when there is one.
export function client() {
  const s = load();
  return new Client(location.origin, { token: s ? s.token : null });
}

// Classes this browser created (the API lists none): [{id, name}].
export function classes() {
  try { return JSON.parse(localStorage.getItem(CLASSES)) || []; } catch { return []; }
}
export function addClass(c) {
  localStorage.setItem(CLASSES, JSON.stringify([c, ...classes().filter((x) => x.id !== c.id)]));
}
