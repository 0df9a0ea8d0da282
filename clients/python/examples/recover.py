"""Recovering the pancakes' direction in low dimension (Song 2024 Thm 4.2).

In low dimension the hidden direction u can be found from samples alone by
projection pursuit: along u the samples sit on pancakes spaced a =
sqrt(2 pi) / (gamma sqrt(1 + sigma^2)) apart (public parameters), so the
periodogram |mean_j exp(2 pi i <x_j, w> / a)| is about
exp(-2 pi^2 v / a^2) at w = +-u (v = sigma^2 / (1 + sigma^2), 0.08 here)
and of order 1 / sqrt(n) for other directions: recovery needs enough
samples for the true peak to stand above the best of the false ones.  The
search scans a grid of directions on the sphere (its size grows like
(1/resolution)^(d-1): the exp(O(d)) cost of Thm 4.2), then refines the best
one.  For growing sample counts n the example prints |<u_hat, u>| after
revealing u (commitment checked) and the sample count recovery needed.
"""

import math

import numpy as np

import _common
from scoracle import open_instance

GAMMA = 6.0
SIGMA = 0.15


def directions(dim, count, rng):
    """About count directions covering the half-sphere: an even grid in
    d = 2, a Fibonacci lattice in d = 3, random ones beyond."""
    if dim == 2:
        th = np.linspace(0, math.pi, count, endpoint=False)
        return np.stack([np.cos(th), np.sin(th)], axis=1)
    if dim == 3:
        i = np.arange(count) + 0.5
        zc = i / count
        phi = math.pi * (1 + math.sqrt(5)) * i
        r = np.sqrt(1 - zc ** 2)
        return np.stack([r * np.cos(phi), r * np.sin(phi), zc], axis=1)
    w = rng.standard_normal((count, dim))
    return w / np.linalg.norm(w, axis=1, keepdims=True)


def periodogram(x, w, spacing):
    out = np.empty(len(w))
    for i in range(0, len(w), 2048):
        phase = 2 * math.pi * (x @ w[i:i + 2048].T) / spacing
        out[i:i + 2048] = np.hypot(np.cos(phase).mean(axis=0),
                                   np.sin(phase).mean(axis=0))
    return out


def pursue(x, spacing, grid, rng):
    """Best grid direction, then a shrinking local random search."""
    w = directions(x.shape[1], grid, rng)
    stat = periodogram(x, w, spacing)
    best = w[np.argmax(stat)]
    best_stat = stat.max()
    step = 2.0 / grid ** (1 / (x.shape[1] - 1))
    for _ in range(12):
        cand = best + step * rng.standard_normal((64, x.shape[1]))
        cand /= np.linalg.norm(cand, axis=1, keepdims=True)
        s = periodogram(x, cand, spacing)
        if s.max() > best_stat:
            best, best_stat = cand[np.argmax(s)], s.max()
        step /= 1.6
    return best, float(best_stat)


def run_dim(c, dim, counts, grid, rng):
    inst = c.create_instance("pancakes", dim=dim, gamma=GAMMA, sigma=SIGMA)
    spacing = math.sqrt(2 * math.pi) / (GAMMA * math.sqrt(1 + SIGMA ** 2))
    x = c.samples(inst["id"], max(counts))
    estimates = [pursue(x[:n], spacing, grid, rng) for n in counts]
    u = np.asarray(open_instance(inst["id"], c.reveal(inst["id"]),
                                 inst["commitment"])["u"])
    rows = []
    for n, (w, stat) in zip(counts, estimates):
        rows.append({"dim": dim, "n": n, "periodogram": stat,
                     "cos": float(abs(w @ u))})
    return rows


def main():
    args = _common.parser(__doc__).parse_args()
    c = _common.connect(args, "recover")
    rng = np.random.default_rng(args.seed)
    if args.quick:
        plan = {2: ((25, 50, 100, 200, 400, 800, 1600, 3200, 6400), 720)}
    else:
        plan = {2: ((25, 50, 100, 200, 400, 800, 1600, 3200, 6400), 720),
                3: ((25, 50, 100, 200, 400, 800, 1600, 3200, 6400), 12000)}
    print("projection pursuit on pancakes, gamma = %g, sigma = %g; the "
          "secret u is revealed only to score the estimate" % (GAMMA, SIGMA))
    rows, needed = [], {}
    for dim, (counts, grid) in plan.items():
        got = run_dim(c, dim, counts, grid, rng)
        rows += got
        # The sample count from which every larger one recovers u.
        needed[dim] = None
        for r in reversed(got):
            if r["cos"] <= 0.99:
                break
            needed[dim] = r["n"]
    _common.table(["d", "samples", "periodogram", "|<u_hat, u>|"],
                  [(r["dim"], r["n"], r["periodogram"], r["cos"])
                   for r in rows], ["%d", "%d", "%.3f", "%.5f"])
    for dim, n in needed.items():
        if n is None:
            print("d = %d: not recovered with up to %d samples"
                  % (dim, max(plan[dim][0])))
        else:
            print("d = %d: recovered (|<u_hat, u>| > 0.99) from %d samples "
                  "on, scanning %d directions" % (dim, n, plan[dim][1]))
    plot(args, rows)
    _common.write_json(args, {"rows": rows, "needed": {
        str(k): v for k, v in needed.items()}})


def plot(args, rows):
    plt = _common.pyplot()
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for dim in sorted({r["dim"] for r in rows}):
        sel = [r for r in rows if r["dim"] == dim]
        ax.semilogx([r["n"] for r in sel], [r["cos"] for r in sel], "o-",
                    label="d = %d" % dim)
    ax.set_xlabel("samples")
    ax.set_ylabel("|<u_hat, u>|")
    ax.set_ylim(0, 1.05)
    ax.legend()
    _common.save_figure(fig, args, "recover.png")


if __name__ == "__main__":
    main()
