// Screenshots of every page at desktop and phone width, compared with the
// committed references in test/screens/ (pixelmatch, with a tolerance).
// The server runs with a fixed master key and admin token; what still
// changes between runs (ids, tokens, times, sample clouds) is masked.
// SCORACLE_UPDATE_SCREENS=1 rewrites the references; every run leaves
// its pictures in $SCORACLE_SCREENS_OUT (default: a temporary folder) to
// be looked at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";

import { startServer, stopServer } from "../../js/testing/liveserver.mjs";
import { Client } from "../../js/scoracle.mjs";
import { launch, tab } from "../testing/browser.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REFS = path.join(HERE, "screens");
const OUT = process.env.SCORACLE_SCREENS_OUT || fs.mkdtempSync(path.join(os.tmpdir(), "scoracle-screens-"));
const UPDATE = process.env.SCORACLE_UPDATE_SCREENS === "1";
const ADMIN = "screens-admin-token-0123456789abcdef";
const MASTER_KEY = Buffer.alloc(32, 7);
// Per-pixel colour threshold, and the share of pixels that may differ
// (anti-aliasing of text and curves).
const THRESHOLD = 0.15;
const MAX_DIFF = 0.01;
const WIDTHS = { desktop: [1280, 900], phone: [390, 844] };
const DYNAMIC = ".dyn, code, .token, .join-code, time";
const SAMPLES = "canvas.plot, .uplot, #comb-stat, #budget";

let srv;
let browser;
const shots = [];

before(async () => {
  srv = await startServer([], { SCORACLE_ADMIN_TOKEN: ADMIN }, { masterKey: MASTER_KEY });
  browser = await launch();
  fs.mkdirSync(OUT, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await stopServer(srv);
  console.log(`# screenshots in ${OUT}`);
});

async function shoot(page, name, masks) {
  await page.evaluate(() => document.fonts.ready);
  await page.mouse.move(0, 0);
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: "disabled", caret: "hide",
    mask: masks.map((m) => page.locator(m)), maskColor: "#c8c8d0" });
  shots.push(name);
  assert.deepEqual(page.problems, [], `${name}: the page logged problems`);
  return file;
}

function compare(name, file) {
  const ref = path.join(REFS, `${name}.png`);
  if (UPDATE || !fs.existsSync(ref)) {
    fs.mkdirSync(REFS, { recursive: true });
    fs.copyFileSync(file, ref);
    return;
  }
  const a = PNG.sync.read(fs.readFileSync(ref));
  const b = PNG.sync.read(fs.readFileSync(file));
  assert.deepEqual([b.width, b.height], [a.width, a.height], `${name}: size differs from the reference`);
  const diff = new PNG({ width: a.width, height: a.height });
  const n = pixelmatch(a.data, b.data, diff.data, a.width, a.height, { threshold: THRESHOLD });
  if (n > MAX_DIFF * a.width * a.height) {
    fs.writeFileSync(path.join(OUT, `${name}.diff.png`), PNG.sync.write(diff));
  }
  assert.ok(n <= MAX_DIFF * a.width * a.height, `${name}: ${n} pixels differ (diff in ${OUT})`);
}

async function page(kind, hash, name, wait, masks = [DYNAMIC]) {
  await kind.page.goto(`${srv.url}/${hash}`);
  await kind.page.waitForSelector(`main[data-ready="${hash.replace(/^\//, "") || "#/"}"]`);
  if (wait) await kind.page.waitForSelector(wait);
  compare(`${name}-${kind.name}`, await shoot(kind.page, `${name}-${kind.name}`, masks));
}

for (const [name, [width, height]] of Object.entries(WIDTHS)) {
  test(`every page at ${name} width (${width} px) matches its reference`, async () => {
    const kind = { name, page: await tab(browser, { width, height }) };
    const p = kind.page;
    await page(kind, "#/", "learn", "#density .uplot", []);
    await page(kind, "#/ladder", "ladder", "button[data-preset]");
    await page(kind, "#/account", "account", "#register-form");
    await page(kind, "#/classes", "join", "#join-form");
    await p.goto(`${srv.url}/#/account`);
    await p.fill("#register-form input[name=name]", `shot-${name}`);
    await p.click("#register-form button[type=submit]");
    await p.waitForSelector("#token-text");
    compare(`token-${name}`, await shoot(p, `token-${name}`, [DYNAMIC]));
    await page(kind, "#/me", "me-empty", "main h1");

    await p.goto(`${srv.url}/#/ladder`);
    await p.click("button[data-preset=pancakes-easy][data-kind=distinguish]");
    await p.waitForURL(/#\/play\/ch_/);
    await p.click("#draw");
    await p.waitForSelector("#comb-value");
    await p.click("#find");
    await p.waitForSelector("#use-found:checked");
    compare(`play-${name}`, await shoot(p, `play-${name}`, [DYNAMIC, SAMPLES]));
    // Finished unanswered: the coins differ from run to run, the result
    // of no answers does not.
    await p.click("#finish");
    await p.waitForSelector("#verify-receipt");
    compare(`reveal-${name}`, await shoot(p, `reveal-${name}`, [DYNAMIC, SAMPLES]));
    await page(kind, "#/me", "me", "#my-challenges");
    await page(kind, "#/board/distinguish", "board", "#boards table");

    const teacher = await new Client(srv.url, { token: ADMIN }).register(`teacher-${name}`, "instructor");
    await p.evaluate((t) => localStorage.setItem("scoracle.session", JSON.stringify(t)),
      { token: teacher.token, id: teacher.id, name: teacher.name, role: teacher.role });
    await p.goto(`${srv.url}/#/classes`);
    await p.fill("#class-form input[name=name]", "Pancakes 101");
    await p.click("#class-form button[type=submit]");
    await p.waitForSelector("section[data-class] table.progress");
    compare(`classes-${name}`, await shoot(p, `classes-${name}`, [DYNAMIC]));
  });
}
