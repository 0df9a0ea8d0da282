// Shared by the arena's browser tests and benchmark: Debian's headless
// Chromium through playwright-core, with every console error, page error
// and failed request of a page collected (a page with one fails).
import fs from "node:fs";

export const CHROMIUM = process.env.SCORACLE_CHROMIUM || "/usr/bin/chromium";
// As root on a machine without a network: no sandbox, and none of
// Chromium's own background connections.
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export async function launch() {
  let chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch (e) {
    throw new Error(`playwright-core is not installed (npm ci in clients/web): ${e.message}`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: scripts/deps.sh installs Debian's chromium`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

// A new tab in its own context (its own localStorage) with a log of
// problems (console errors, page errors, failed requests, requests to
// anywhere but the loopback server): tab.problems is the list.
export async function tab(browser, { width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1,
    acceptDownloads: true, reducedMotion: "reduce" });
  const page = await context.newPage();
  page.problems = [];
  page.on("console", (m) => { if (m.type() === "error") page.problems.push(`console.error: ${m.text()}`); });
  page.on("pageerror", (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on("requestfailed", (r) => page.problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  // Nothing comes from outside the server the page was loaded from.
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (!["data:", "blob:"].includes(u.protocol) && u.hostname !== "127.0.0.1") {
      page.problems.push(`request outside the server: ${r.url()}`);
    }
  });
  page.setDefaultTimeout(20000);
  return page;
}
