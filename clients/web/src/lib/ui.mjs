// Small DOM helpers: elements without innerHTML, errors shown as the
// problem details' text beside the control that caused them, and long
// work with a progress bar.

// h("button", {class: "x", onclick}, "text", child...): an element.
export function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k in el && k !== "list" && typeof v !== "string") el[k] = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}

// The text a person should read for an error: the problem's detail (and
// its field messages) for API errors, the message otherwise.
export function problemText(e) {
  if (e && e.problem) {
    const p = e.problem;
    const fields = (p.errors || []).map((f) => `${f.field}: ${f.message}`);
    return [p.detail || p.title || `HTTP ${e.status}`, ...fields].join("; ");
  }
  return (e && e.message) || String(e);
}

// An error line to place right after a control; .show(e) / .clear().
export function errorLine() {
  const el = h("p", { class: "error", role: "alert" });
  el.show = (e) => { el.textContent = problemText(e); };
  el.clear = () => { el.textContent = ""; };
  return el;
}

// A button that runs fn, disabled meanwhile, its error shown beside it.
// Answers [button, errorLine].
export function action(label, fn, attrs = {}) {
  const err = errorLine();
  const btn = h("button", { type: "button", ...attrs }, label);
  btn.addEventListener("click", async () => {
    err.clear();
    btn.disabled = true;
    try { await fn(btn); } catch (e) { err.show(e); } finally { btn.disabled = false; }
  });
  return [btn, err];
}

// A form whose submit runs fn(values), its error shown under it.
export function form(fields, label, fn, attrs = {}) {
  const err = errorLine();
  const btn = h("button", { type: "submit" }, label);
  const el = h("form", { class: "row", ...attrs }, fields, btn, err);
  el.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    err.clear();
    btn.disabled = true;
    try { await fn(Object.fromEntries(new FormData(el))); } catch (e) { err.show(e); }
    finally { btn.disabled = false; }
  });
  return el;
}

export const field = (label, attrs) => h("label", {}, label, h("input", attrs));

export function select(name, options, value, attrs = {}) {
  return h("select", { name, ...attrs },
    options.map(([v, text]) => h("option", { value: v, selected: v === value }, text ?? v)));
}

// A progress bar with a caption; .set(fraction, text).
export function progress() {
  const bar = h("progress", { max: 1, value: 0 });
  const text = h("span", { class: "muted dyn" });
  const el = h("span", { class: "row", hidden: true }, bar, text);
  el.set = (f, t = "") => { el.hidden = false; bar.value = f; text.textContent = t; };
  el.done = () => { el.hidden = true; };
  return el;
}

// Saves bytes as a file through a temporary link.
export function download(name, bytes, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const fmt = (x, digits = 3) => (typeof x === "number" ? (Math.abs(x) < 1e-3 && x !== 0
  ? x.toExponential(2) : Number(x.toFixed(digits)).toString()) : String(x ?? "–"));
