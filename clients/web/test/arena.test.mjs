// The web arena end to end in a real browser, served by scoracled itself:
// a newcomer registers, plays a whole pancakes-easy distinguish challenge
// with the in-page tools (draw samples, the lattice tool, the comb
// strength along the found direction) and wins it, sees every commitment
// and the receipt verify on the reveal, finds the game on the leaderboard
// and verifies its row; an instructor and a student go through a class.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";

import { startServer, stopServer } from "../../js/testing/liveserver.mjs";
import { Client } from "../../js/scoracle.mjs";
import { launch, tab } from "../testing/browser.mjs";

const ADMIN = "arena-admin-token-0123456789abcdef";
// The comb strength along the found direction: near 1 for a planted round
// (sigma / spacing = 0.008), about 1/sqrt(400) = 0.05 for noise.
const COMB_PLANTED = 0.3;

let srv;
let browser;

before(async () => {
  srv = await startServer([], { SCORACLE_ADMIN_TOKEN: ADMIN });
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await stopServer(srv);
});

const clean = (page) => assert.deepEqual(page.problems, [], "the page logged problems");

async function register(page, name) {
  await page.goto(`${srv.url}/#/account`);
  await page.fill("#register-form input[name=name]", name);
  await page.click("#register-form button[type=submit]");
  await page.waitForSelector("#token-text");
  return (await page.textContent("#token-text")).trim();
}

// Plays every open round of the challenge on screen with the tools.
async function playRounds(page, { tools = true } = {}) {
  for (;;) {
    const title = page.locator("#round-title");
    await title.waitFor();
    const before = await title.textContent();
    await page.click("#draw");
    await page.waitForSelector("#comb-value");
    let guess = "null";
    if (tools) {
      await page.click("#find");
      await page.waitForSelector("#use-found:checked");
      const comb = Number(await page.getAttribute("#comb-value", "data-value"));
      guess = comb > COMB_PLANTED ? "planted" : "null";
    }
    await page.click(`#guess-${guess}`);
    await page.waitForFunction((t) => location.hash.startsWith("#/reveal/") ||
      document.querySelector("#round-title")?.textContent !== t, before);
    if (page.url().includes("#/reveal/")) return;
  }
}

test("a newcomer registers, wins pancakes-easy with the lattice tool, verifies and finds the row", async () => {
  const page = await tab(browser);
  await page.goto(srv.url + "/");
  await page.waitForSelector("#density .uplot");
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: srv.url });
  const token = await register(page, "web-newcomer");
  assert.match(token, /^[A-Za-z0-9_-]{20,}$/);
  await page.click("#new-token button");
  await page.waitForSelector("#new-token button:has-text('Copied')");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);
  assert.ok(!page.url().includes(token), "the token never goes into a URL");
  assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem("scoracle.session"))).token, token);

  // Signed in, Figure 1 comes from the server's log-density and samples.
  await page.goto(`${srv.url}/#/`);
  await page.waitForSelector("#fig-source:has-text('instance in_')");
  await page.locator("input[aria-label=gamma]").fill("3");
  await page.waitForSelector("#fig-source:has-text('gamma = 3')");

  await page.goto(`${srv.url}/#/ladder`);
  await page.click("button[data-preset=pancakes-easy][data-kind=distinguish]");
  await page.waitForURL(/#\/play\/ch_/);
  const id = page.url().split("#/play/")[1];
  await playRounds(page);

  await page.waitForSelector("#verify-commitments");
  assert.equal(await page.getAttribute("#verify-commitments", "data-ok"), "true");
  await page.waitForSelector("#verify-receipt");
  assert.equal(await page.getAttribute("#verify-receipt", "data-ok"), "true");
  const opened = await page.locator("tr[data-ok=true]").count();
  assert.equal(opened, 20, "every round's commitment opens");

  // The server's own record of the game: won with the page's tools.
  const ch = await new Client(srv.url, { token }).challenge(id);
  assert.equal(ch.status, "finished");
  assert.ok(ch.result.accuracy >= 0.9, `accuracy ${ch.result.accuracy}`);
  assert.ok(ch.result.p_value < 1e-3, `p-value ${ch.result.p_value}`);

  await page.click("text=See the leaderboard");
  const row = page.locator(`tr[data-challenge="${id}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /web-newcomer/);
  await row.locator("button").click();
  await row.locator(".verify-status.ok").waitFor();
  clean(page);
});

test("an API error shows as the problem's text beside the control", async () => {
  const page = await tab(browser);
  await page.goto(`${srv.url}/#/account`);
  await page.fill("#signin-form input[name=token]", "not-a-token");
  await page.click("#signin-form button[type=submit]");
  const err = page.locator("#signin-form .error");
  await err.waitFor();
  assert.ok((await err.textContent()).length > 5);
  // The 401 itself is the browser's console line for a failed fetch.
  page.problems = page.problems.filter((p) => !/401/.test(p));
  clean(page);
});

test("the ladder shows a preset's hardness card when /v1/info has one", async () => {
  const page = await tab(browser);
  const card = {
    regime: "visible", tv_along_secret: 0.93, known_secret_power: 1, known_secret_log10_error: -300,
    unbounded_search_samples: 120, search_space_log2: 40.5,
    best_attack: { name: "lattice", win_rate: 1, seconds_per_round: 0.05, rounds: 20, p_value: 1e-6, extrapolated: false },
    method: { tv_along_secret: "quadrature", known_secret_power: "bound", unbounded_search_samples: "net" },
  };
  await page.route("**/v1/info", async (route) => {
    const info = await (await route.fetch()).json();
    info.presets[0].hardness = card;
    delete info.presets[1].hardness;
    await route.fulfill({ json: info });
  });
  await page.goto(`${srv.url}/#/ladder`);
  const first = page.locator("section.card").first();
  await first.waitFor();
  const text = await first.textContent();
  for (const want of ["visible", "0.93", "lattice: win rate 1", "2^40.5"]) assert.ok(text.includes(want), `${want} in ${text}`);
  assert.match(await page.locator("section.card").nth(1).textContent(), /No hardness card/);
  clean(page);
});

test("keyboard only: Tab to the name, type, Enter registers", async () => {
  const page = await tab(browser);
  await page.goto(`${srv.url}/#/account`);
  await page.waitForSelector("#register-form");
  let reached = false;
  for (let i = 0; i < 30 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.name === "name");
  }
  assert.ok(reached, "Tab reaches the name field");
  await page.keyboard.type("web-keyboard");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#token-text");
  clean(page);
});

test("an instructor and a student through a class", async () => {
  const admin = new Client(srv.url, { token: ADMIN });
  const teacher = await admin.register("web-teacher", "instructor");

  const ti = await tab(browser);
  await ti.goto(`${srv.url}/#/account`);
  await ti.fill("#signin-form input[name=token]", teacher.token);
  await ti.click("#signin-form button[type=submit]");
  await ti.waitForSelector("#me-name, .ok");
  await ti.goto(`${srv.url}/#/classes`);
  await ti.fill("#class-form input[name=name]", "Pancakes 101");
  await ti.click("#class-form button[type=submit]");
  const card = ti.locator("section[data-class]").first();
  await card.waitFor();
  const code = (await card.locator(".join-code").textContent()).trim();
  assert.ok(code.length >= 6, `join code ${code}`);

  const st = await tab(browser, { width: 390, height: 844 });
  await st.goto(`${srv.url}/#/classes`);
  await st.fill("#join-form input[name=code]", code);
  await st.fill("#join-form input[name=name]", "web-student");
  await st.click("#join-form button[type=submit]");
  await st.waitForSelector("#no-assignments");

  await card.locator(".assign-form select[name=kind]").selectOption("distinguish");
  await card.locator(".assign-form select[name=preset]").selectOption("pancakes-easy");
  await card.locator(".assign-form input[name=rounds]").fill("2");
  await card.locator(".assign-form button[type=submit]").click();
  await card.locator("table.progress tbody tr").first().waitFor();
  assert.match(await card.locator("table.progress").textContent(), /web-student.*open/s);

  await st.reload();
  await st.waitForSelector("#assignments a");
  await st.click("#assignments a");
  await st.waitForURL(/#\/play\//);
  await playRounds(st);
  await st.waitForSelector("#verify-commitments");

  await card.locator("text=Refresh progress").click();
  await ti.waitForFunction(() => /finished/.test(document.querySelector("table.progress").textContent));
  const [dl] = await Promise.all([ti.waitForEvent("download"), card.locator("text=Download CSV").click()]);
  const csv = fs.readFileSync(await dl.path(), "utf8");
  assert.match(csv, /web-student/);
  assert.match(csv.split("\n")[0], /,/);
  clean(ti);
  clean(st);
});
