// Every game kind through its page tools: recover with the lattice
// tool's direction, score with the built-in baseline, density with an
// uploaded CSV of answers, posterior by brute force in a Web Worker.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";

import { startServer, stopServer } from "../../js/testing/liveserver.mjs";
import { Client } from "../../js/scoracle.mjs";
import { launch, tab } from "../testing/browser.mjs";

let srv;
let browser;
let page;
let api;

before(async () => {
  srv = await startServer();
  browser = await launch();
  page = await tab(browser);
  await page.goto(`${srv.url}/#/account`);
  await page.fill("#register-form input[name=name]", "web-kinds");
  await page.click("#register-form button[type=submit]");
  await page.waitForSelector("#token-text");
  api = new Client(srv.url, { token: (await page.textContent("#token-text")).trim() });
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await stopServer(srv);
});

async function open(kind, preset, rounds) {
  const ch = await api.createChallenge(kind, null, rounds, { preset });
  await page.goto(`${srv.url}/#/play/${ch.id}`);
  await page.waitForSelector("#round-title");
  return ch;
}

async function finished(ch) {
  await page.waitForSelector("#verify-commitments");
  assert.equal(await page.getAttribute("#verify-commitments", "data-ok"), "true");
  assert.deepEqual(page.problems, []);
  const out = await api.challenge(ch.id);
  assert.equal(out.status, "finished");
  return out.result;
}

test("recover: the lattice tool's direction is the secret", async () => {
  const ch = await open("recover", "pancakes-easy", 2);
  for (let i = 0; i < 2; i++) {
    await page.waitForSelector(`#round-title:has-text("Round ${i + 1} ")`);
    await page.click("#draw");
    await page.waitForSelector("#comb-value");
    await page.click("#find");
    await page.waitForSelector("#use-found:checked");
    await page.click("#submit-direction");
  }
  const result = await finished(ch);
  assert.equal(result.answered, 2);
  assert.ok(result.min_abs_cos > 0.99, `recover result ${JSON.stringify(result)}`);
});

test("score: the built-in baseline is accepted and scored", async () => {
  const ch = await open("score", "pancakes-easy", 1);
  await page.click("#baseline");
  const result = await finished(ch);
  // The baseline is the Gaussian guess s(x) = -x itself.
  assert.equal(result.answered, 1);
  assert.ok(Math.abs(result.error_ratio - 1) < 1e-9, JSON.stringify(result));
});

test("density: answers uploaded as CSV", async () => {
  const ch = await open("density", "pancakes-easy", 1);
  const d = ch.rounds[0].instance.dim;
  const ev = (await api.challenge(ch.id, { eval: true })).rounds[0].eval;
  const csv = "logpdf\n" + ev.points.map((p) => -0.5 * p.reduce((s, v) => s + v * v, 0) - (d / 2) * Math.log(2 * Math.PI)).join("\n") + "\n";
  await page.setInputFiles("input[type=file]", { name: "answers.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.click("text=Submit the file");
  const result = await finished(ch);
  assert.equal(result.answered, 1);
  assert.ok(result.pac_fraction >= 0 && result.pac_fraction <= 1, JSON.stringify(result));
});

test("posterior: brute force over the seeds in a Worker inverts f", async () => {
  const ch = await open("posterior", "owf-8", 1);
  await page.click("#brute");
  await page.waitForSelector("#seed-out:has-text('Found seed')");
  await page.click("#submit-seed");
  const result = await finished(ch);
  assert.equal(result.solved, 1, `posterior result ${JSON.stringify(result)}`);
});
