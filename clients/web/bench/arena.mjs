// Benchmarks of the web arena in Debian's headless Chromium, served by
// a live scoracled on loopback: the first page's time to interactive
// (cold: a fresh browser context each load), beside the load of one small
// static file in the same run; and a 10^4-point scatter redraw, beside
// the same canvas redrawn with no points.  Prints figures; never fails
// on a number.
import { startServer, stopServer } from "../../js/testing/liveserver.mjs";
import { launch, tab } from "../testing/browser.mjs";

const LOADS = 7;
const REDRAWS = 30;
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

const srv = await startServer();
const browser = await launch();
try {
  const ready = [];
  const anchor = [];
  for (let i = 0; i < LOADS; i++) {
    const page = await tab(browser);
    let t0 = performance.now();
    await page.goto(`${srv.url}/favicon.svg`);
    anchor.push(performance.now() - t0);
    t0 = performance.now();
    await page.goto(`${srv.url}/`);
    await page.waitForSelector("main[data-ready] #density .uplot");
    ready.push(performance.now() - t0);
    await page.context().close();
  }
  console.log(`first page interactive (learn, Figure 1 drawn): median ${median(ready).toFixed(0)} ms ` +
    `over ${LOADS} cold loads (target < 1000 ms); anchor: one static file ${median(anchor).toFixed(1)} ms`);

  const page = await tab(browser);
  await page.goto(`${srv.url}/`);
  await page.waitForSelector("main[data-ready]");
  const [full, empty] = await page.evaluate(async (reps) => {
    const { Scatter } = await import("/lib/plots.mjs");
    const n = 10000;
    const xs = Float64Array.from({ length: n }, () => 2 * (Math.random() + Math.random() - 1));
    const ys = Float64Array.from({ length: n }, () => 2 * (Math.random() + Math.random() - 1));
    const s = new Scatter({ half: 4, aspect: 0.7 });
    document.querySelector("main").append(s.canvas);
    const time = (a, b) => {
      const out = [];
      for (let i = 0; i < reps; i++) {
        const t0 = performance.now();
        s.set(a, b);
        s.canvas.getContext("2d").getImageData(0, 0, 1, 1);
        out.push(performance.now() - t0);
      }
      return out.sort((p, q) => p - q)[Math.floor(reps / 2)];
    };
    return [time(xs, ys), time(new Float64Array(0), new Float64Array(0))];
  }, REDRAWS);
  console.log(`scatter redraw, 10^4 points: median ${full.toFixed(2)} ms over ${REDRAWS} ` +
    `(target < 50 ms); anchor: the same canvas with no points ${empty.toFixed(2)} ms`);
} finally {
  await browser.close();
  await stopServer(srv);
}
