"""Song 2024, Figure 1: 2-D Gaussian pancakes with gamma = 6.

For sigma in {0.01, 0.05, 0.25} this example draws samples from a pancakes
instance, reveals the secret direction u (checking the commitment), and
shows the scatter plot and the density along u next to N(0, 1).  From the
server's /logpdf on a fine line z u it measures what docs/MATH.md's table
states: the spacing of the pancakes, the width of one pancake, and
TV(P_u, N(0, I)) = TV of the density along u against N(0, 1), since the
two agree orthogonally to u.
"""

import math

import numpy as np

import _common
from scoracle import open_instance

GAMMA = 6.0
SIGMAS = (0.01, 0.05, 0.25)
# docs/MATH.md section 1, "Reference values, gamma = 6 in d = 2".
REFERENCE = {0.01: (0.41775, 0.01000, 0.869),
             0.05: (0.41725, 0.04994, 0.508),
             0.25: (0.40530, 0.24254, 0.0008)}


def density_along_u(c, inst_id, u, z):
    """p1(z) from the server: log P(z u) = log p1(z) - ((d-1)/2) log 2 pi
    (docs/MATH.md section 1, the orthogonal part is N(0, I) at 0)."""
    pts = z[:, None] * u[None, :]
    logp = c.logpdf(inst_id, pts)
    return np.exp(logp + 0.5 * (len(u) - 1) * math.log(2 * math.pi))


def peaks(z, p):
    """Positions of the local maxima of a sampled density, each refined by
    the parabola through its grid point and the two neighbours."""
    i = 1 + np.nonzero((p[1:-1] > p[:-2]) & (p[1:-1] >= p[2:])
                       & (p[1:-1] > 1e-3))[0]
    lp = np.log(np.maximum(p, 1e-300))
    curv = lp[i - 1] - 2 * lp[i] + lp[i + 1]
    shift = 0.5 * (lp[i - 1] - lp[i + 1]) / np.where(curv < 0, curv, -1)
    return z[i] + shift * (z[1] - z[0])


def pancake_width(z, p, centre, half):
    """Standard deviation of the density restricted to one pancake."""
    sel = np.abs(z - centre) < half
    w = p[sel] / p[sel].sum()
    m = (w * z[sel]).sum()
    return math.sqrt((w * (z[sel] - m) ** 2).sum())


def run_sigma(c, sigma, n, grid):
    inst = c.create_instance("pancakes", dim=2, gamma=GAMMA, sigma=sigma)
    x = c.samples(inst["id"], n)
    secret = open_instance(inst["id"], c.reveal(inst["id"]),
                           inst["commitment"])
    u = np.asarray(secret["u"])
    p = density_along_u(c, inst["id"], u, grid)
    dz = grid[1] - grid[0]
    gauss = np.exp(-grid ** 2 / 2) / math.sqrt(2 * math.pi)
    tv = 0.5 * np.abs(p - gauss).sum() * dz
    pk = peaks(grid, p)
    central = pk[np.abs(pk) < 1.5]
    spacing = float(np.median(np.diff(central))) if len(central) > 2 \
        else float("nan")
    width = pancake_width(grid, p, central[np.argmin(np.abs(central))],
                          spacing / 2) if len(central) > 2 \
        else float("nan")
    return {"sigma": sigma, "id": inst["id"], "x": x, "u": u, "p": p,
            "mass": float(p.sum() * dz), "tv": float(tv),
            "spacing": spacing, "width": width, "peaks": len(pk)}


def plot(args, runs, grid):
    plt = _common.pyplot()
    fig, axes = plt.subplots(2, len(runs), figsize=(4.2 * len(runs), 8))
    for col, r in enumerate(runs):
        ax = axes[0, col]
        ax.scatter(r["x"][:, 0], r["x"][:, 1], s=1, alpha=0.4)
        ax.set_aspect("equal")
        ax.set_xlim(-4, 4)
        ax.set_ylim(-4, 4)
        ax.set_title("gamma = %g, sigma = %g" % (GAMMA, r["sigma"]))
        ax = axes[1, col]
        ax.hist(r["x"] @ r["u"], bins=200, density=True, alpha=0.35,
                label="samples")
        ax.plot(grid, r["p"], lw=0.8, label="server /logpdf")
        ax.plot(grid, np.exp(-grid ** 2 / 2) / math.sqrt(2 * math.pi),
                "k--", lw=1, label="N(0, 1)")
        ax.set_xlim(-4, 4)
        ax.set_xlabel("<x, u>")
        ax.legend(loc="upper right", fontsize=7)
    _common.save_figure(fig, args, "song_fig1.png")


def _fmt(value):
    return "blurred" if math.isnan(value) else "%.5f" % value


def main():
    args = _common.parser(__doc__).parse_args()
    c = _common.connect(args, "song-fig1")
    n = 2000 if args.quick else 20000
    grid = np.arange(-7.0, 7.0, 2e-4)
    runs = [run_sigma(c, s, n, grid) for s in SIGMAS]
    print("Gaussian pancakes, d = 2, gamma = %g, %d samples each" % (GAMMA, n))
    print("measured on the server's /logpdf along the revealed u "
          "(commitments checked):")
    _common.table(
        ["sigma", "spacing", "ref", "width", "ref", "TV", "ref"],
        [(r["sigma"], _fmt(r["spacing"]), REFERENCE[r["sigma"]][0],
          _fmt(r["width"]), REFERENCE[r["sigma"]][1], r["tv"],
          REFERENCE[r["sigma"]][2]) for r in runs],
        ["%g", "%s", "%.5f", "%s", "%.5f", "%.4f", "%.4f"])
    print("(blurred: the pancakes overlap so much that the density along u "
          "has no separate peaks)")
    print("thin pancakes (sigma = 0.01) are far from N(0, I) (TV %.3f); "
          "at sigma = 0.25 the pancakes blur into N(0, 1) (TV %.4f)"
          % (runs[0]["tv"], runs[2]["tv"]))
    plot(args, runs, grid)
    _common.write_json(args, {"runs": [
        {k: r[k] for k in ("sigma", "tv", "spacing", "width", "mass",
                           "peaks")} for r in runs], "reference": {
        str(k): v for k, v in REFERENCE.items()}})


if __name__ == "__main__":
    main()
