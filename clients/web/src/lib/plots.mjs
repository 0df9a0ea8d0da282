// Canvas plots: a scatter of two projections (10^4 points redrawn in a
// few milliseconds, an arrow for a direction), a histogram with comb
// marks, and uPlot line charts.
import uPlot from "../vendor/uPlot.esm.js";
import { h } from "./ui.mjs";

function sized(canvas, aspect) {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(200, Math.round(canvas.clientWidth || canvas.parentElement.clientWidth || 400));
  const hgt = Math.round(w * aspect);
  if (canvas.width !== w * ratio || canvas.height !== hgt * ratio) {
    canvas.width = w * ratio;
    canvas.height = hgt * ratio;
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { ctx, w, h: hgt };
}

function axes(ctx, w, hgt, half, label) {
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, w, hgt);
  ctx.strokeStyle = "#e3e7ec";
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(w / 2, 0); ctx.lineTo(w / 2, hgt);
  ctx.moveTo(0, hgt / 2); ctx.lineTo(w, hgt / 2);
  ctx.stroke();
  ctx.fillStyle = "#5b6470";
  ctx.font = "12px system-ui, sans-serif";
  ctx.fillText(label || `±${half}`, 6, 14);
}

// Blends 2 x 2 px dots of the ink colour into the pixels directly (one
// getImageData and putImageData): 10^4 points cost well under the frame
// budget, where a fillRect per point does not on a slow machine.
function dots(ctx, canvas, xs, ys, sx, sy) {
  const W = canvas.width;
  const H = canvas.height;
  const ratio = window.devicePixelRatio || 1;
  const img = ctx.getImageData(0, 0, W, H);
  const px = img.data;
  const a = 0.55;
  const ink = [29, 53, 87].map((c) => c * a);
  const size = Math.max(2, Math.round(2 * ratio));
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const cx = Math.round((W / 2 + xs[i] * sx * ratio) - size / 2);
    const cy = Math.round((H / 2 - ys[i] * sy * ratio) - size / 2);
    if (cx < 0 || cy < 0 || cx + size > W || cy + size > H) continue;
    for (let y = cy; y < cy + size; y++) {
      let o = (y * W + cx) * 4;
      for (let x = 0; x < size; x++, o += 4) {
        px[o] = px[o] * (1 - a) + ink[0];
        px[o + 1] = px[o + 1] * (1 - a) + ink[1];
        px[o + 2] = px[o + 2] * (1 - a) + ink[2];
      }
    }
  }
  ctx.putImageData(img, 0, 0);
}

// Scatter of (xs[i], ys[i]) in [-half, half]^2.  An optional arrow
// (a 2-vector) is drawn from the centre, e.g. a secret direction.
export class Scatter {
  constructor({ half = 4, aspect = 1, label = "" } = {}) {
    this.half = half;
    this.aspect = aspect;
    this.label = label;
    this.canvas = h("canvas", { class: "plot", role: "img", "aria-label": "scatter of samples" });
    this.xs = new Float64Array(0);
    this.ys = new Float64Array(0);
    this.arrowVec = null;
  }
  set(xs, ys) { this.xs = xs; this.ys = ys; return this.draw(); }
  arrow(v, text) { this.arrowVec = v; this.arrowText = text; return this.draw(); }
  draw() {
    const { ctx, w, h: hgt } = sized(this.canvas, this.aspect);
    axes(ctx, w, hgt, this.half, this.label);
    const sx = w / (2 * this.half);
    const sy = hgt / (2 * this.half);
    dots(ctx, this.canvas, this.xs, this.ys, (w / 2) / this.half, (hgt / 2) / this.half);
    if (this.arrowVec) {
      const [ax, ay] = this.arrowVec;
      const r = 0.9 * this.half;
      ctx.strokeStyle = "#e76f51";
      ctx.lineWidth = 3;
      ctx.beginPath();
      ctx.moveTo(w / 2 - ax * r * sx, hgt / 2 + ay * r * sy);
      ctx.lineTo(w / 2 + ax * r * sx, hgt / 2 - ay * r * sy);
      ctx.stroke();
      ctx.fillStyle = "#e76f51";
      ctx.font = "bold 13px system-ui, sans-serif";
      ctx.fillText(this.arrowText || "u", w / 2 + ax * r * sx + 4, hgt / 2 - ay * r * sy);
    }
    return this;
  }
}

// Histogram of z over [-half, half]; comb marks at multiples of spacing.
export class Histogram {
  constructor({ half = 4, bins = 160, aspect = 0.45 } = {}) {
    this.half = half;
    this.bins = bins;
    this.aspect = aspect;
    this.canvas = h("canvas", { class: "plot", role: "img", "aria-label": "histogram along the direction" });
    this.z = new Float64Array(0);
    this.spacing = 0;
  }
  set(z) { this.z = z; return this.draw(); }
  comb(spacing) { this.spacing = spacing; return this.draw(); }
  draw() {
    const { ctx, w, h: hgt } = sized(this.canvas, this.aspect);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, w, hgt);
    const counts = new Float64Array(this.bins);
    const width = (2 * this.half) / this.bins;
    for (const v of this.z) {
      const b = Math.floor((v + this.half) / width);
      if (b >= 0 && b < this.bins) counts[b]++;
    }
    const max = Math.max(1, ...counts);
    if (this.spacing > 0) {
      ctx.strokeStyle = "rgba(231, 111, 81, 0.6)";
      ctx.setLineDash([4, 4]);
      ctx.beginPath();
      for (let k = -Math.floor(this.half / this.spacing); k * this.spacing <= this.half; k++) {
        const x = ((k * this.spacing + this.half) / (2 * this.half)) * w;
        ctx.moveTo(x, 0); ctx.lineTo(x, hgt);
      }
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.fillStyle = "#1d3557";
    const bw = w / this.bins;
    for (let b = 0; b < this.bins; b++) {
      const bh = (counts[b] / max) * (hgt - 18);
      ctx.fillRect(b * bw, hgt - bh, Math.max(1, bw - 0.5), bh);
    }
    ctx.fillStyle = "#5b6470";
    ctx.font = "12px system-ui, sans-serif";
    ctx.fillText(`${this.z.length} points, ±${this.half}`, 6, 14);
    return this;
  }
}

// A uPlot line chart: xs and one or more series [{label, values, color}].
export function lines(el, { xs, series, height = 220, xLabel = "", yLabel = "" }) {
  const width = Math.max(260, Math.min(el.clientWidth || 520, 720));
  const opts = {
    width, height,
    scales: { x: { time: false } },
    axes: [{ label: xLabel }, { label: yLabel }],
    legend: { show: series.length > 1 },
    cursor: { show: false },
    series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color || "#1d3557", width: 2 }))],
  };
  el.replaceChildren();
  return new uPlot(opts, [xs, ...series.map((s) => s.values)], el);
}
