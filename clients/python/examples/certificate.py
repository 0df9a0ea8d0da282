"""The reduction of Song 2024: distinguishing from a score oracle.

The certificate of Gaussianity (Song 2024 eq. (7), docs/MATH.md section 5)
is Delta = E_{z ~ N(0, I)} |s_t(z) + z|^2.  For N(0, I) the exact score is
-z, so Delta = 0; for Gaussian pancakes Delta equals a number D(t) that
depends only on the public gamma, sigma and t (a one-dimensional integral
along u, computed here).  The test "planted iff Delta_hat > D / 2" then
tells pancakes from N(0, I) with an accurate oracle.

The oracle's noise (instance option oracle.noise, the RMS L2 error added to
every score answer) adds about noise^2 to Delta for both hypotheses: once
noise^2 exceeds D / 2 the test calls everything planted and its accuracy
falls to one half.  This example prints that table: pancakes and N(0, I)
instances at each noise level, Delta estimated from m Gaussian points.
Then it plays the same test as distinguish challenges, where the server
hides a fair coin per round behind a commitment: with the exact oracle it
wins every round (a small binomial p-value), with a noisy one it calls
every round planted.  The commitments and the signed receipt are checked.
"""

import math

import numpy as np

import _common
from scoracle import open_challenge, verify_receipt

DIM = 16
GAMMA = 6.0
SIGMA = 0.05
T = 0.01


def certificate_gap(gamma, sigma, t):
    """D(t) = E_{z ~ N(0,1)} (psi_t(z) + z)^2, psi_t the score of the
    density along u at OU time t (docs/MATH.md section 1)."""
    k = np.arange(-60, 61)
    lw = -math.pi * k ** 2 / gamma ** 2
    mu = math.exp(-t) * math.sqrt(2 * math.pi) * k / (
        gamma * math.sqrt(1 + sigma ** 2))
    v = 1 - math.exp(-2 * t) / (1 + sigma ** 2)
    z = np.linspace(-9, 9, 120001)
    a = lw - (z[:, None] - mu) ** 2 / (2 * v)
    a -= a.max(axis=1, keepdims=True)
    r = np.exp(a)
    r /= r.sum(axis=1, keepdims=True)
    psi = (r * (mu - z[:, None])).sum(axis=1) / v
    w = np.exp(-z ** 2 / 2) / math.sqrt(2 * math.pi)
    return float((w * (psi + z) ** 2).sum() * (z[1] - z[0]))


def delta_hat(c, inst_id, z):
    s = c.score(inst_id, z, t=T)
    return float(np.mean(np.sum((s + z) ** 2, axis=1)))


def main():
    args = _common.parser(__doc__).parse_args()
    c = _common.connect(args, "certificate")
    rng = np.random.default_rng(args.seed)
    if args.quick:
        noises, trials, m = (0.0, 0.5, 1.0, 2.0, 4.0), 3, 100
    else:
        noises, trials, m = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0), 10, 400
    gap = certificate_gap(GAMMA, SIGMA, T)
    threshold = gap / 2
    print("pancakes d = %d, gamma = %g, sigma = %g against N(0, I_%d); "
          "score oracle at t = %g" % (DIM, GAMMA, SIGMA, DIM, T))
    print("certificate gap D(t) = %.4f from the public parameters; test: "
          "planted iff Delta_hat > %.4f" % (gap, threshold))
    print("%d instances of each kind per noise level, Delta_hat from %d "
          "points z ~ N(0, I)" % (trials, m))
    rows = []
    for noise in noises:
        oracle = {"t_min": 0.0, "noise": noise}
        d_planted, d_null, correct = [], [], 0
        for _ in range(trials):
            z = rng.standard_normal((m, DIM))
            p = c.create_instance("pancakes", dim=DIM, gamma=GAMMA,
                                  sigma=SIGMA, oracle=oracle)
            q = c.create_instance("gaussian", dim=DIM, oracle=oracle)
            dp, dq = delta_hat(c, p["id"], z), delta_hat(c, q["id"], z)
            d_planted.append(dp)
            d_null.append(dq)
            correct += (dp > threshold) + (dq <= threshold)
        rows.append({"noise": noise, "noise2": noise ** 2,
                     "delta_null": float(np.mean(d_null)),
                     "delta_planted": float(np.mean(d_planted)),
                     "accuracy": correct / (2 * trials)})
    _common.table(
        ["noise", "noise^2", "Delta N(0,I)", "Delta pancakes", "accuracy"],
        [(r["noise"], r["noise2"], r["delta_null"], r["delta_planted"],
          r["accuracy"]) for r in rows],
        ["%g", "%.2f", "%.4f", "%.4f", "%.2f"])
    exact = rows[0]
    print("exact oracle: Delta on pancakes %.3f vs D(t) = %.3f, on N(0, I) "
          "%.2g: accuracy %.2f"
          % (exact["delta_planted"], gap, exact["delta_null"],
             exact["accuracy"]))
    last = rows[-1]
    print("noise %g (noise^2 = %.1f > D / 2): accuracy %.2f, no better than "
          "a coin" % (last["noise"], last["noise2"], last["accuracy"]))
    games = [play(c, noise, 8 if args.quick else 20, m, threshold, rng)
             for noise in (0.0, noises[-1])]
    for g in games:
        print("distinguish challenge, noise %g: %d/%d rounds right, "
              "p-value %.2g, %d guessed planted; commitments open, receipt "
              "verifies" % (g["noise"], g["correct"], g["rounds"],
                            g["p_value"], g["guessed_planted"]))
    plot(args, rows, threshold)
    _common.write_json(args, {"gap": gap, "threshold": threshold,
                              "trials": trials, "m": m, "rows": rows,
                              "games": games})


def play(c, noise, rounds, m, threshold, rng):
    """One distinguish challenge played with the certificate test."""
    spec = {"family": "pancakes", "dim": DIM, "gamma": GAMMA,
            "sigma": SIGMA, "oracle": {"t_min": 0.0, "noise": noise}}
    ch = c.challenge(c.create_challenge("distinguish", spec, rounds)["id"])
    guesses, out = [], None
    for r in ch["rounds"]:
        z = rng.standard_normal((m, DIM))
        guess = "planted" if delta_hat(c, r["instance"]["id"], z) \
            > threshold else "null"
        guesses.append(guess)
        out = c.answer(ch["id"], r["index"], guess=guess)
    open_challenge(ch, out)
    verify_receipt(out["receipt"], c.info()["receipt_key"])
    res = out["result"]
    return {"noise": noise, "rounds": rounds, "correct": res["correct"],
            "p_value": res["p_value"],
            "guessed_planted": guesses.count("planted"),
            "planted": sum(r["planted"] for r in out["reveal"]["rounds"])}


def plot(args, rows, threshold):
    plt = _common.pyplot()
    fig, ax = plt.subplots(1, 2, figsize=(10, 4))
    noise = [r["noise"] for r in rows]
    ax[0].plot(noise, [r["delta_planted"] for r in rows], "o-",
               label="pancakes")
    ax[0].plot(noise, [r["delta_null"] for r in rows], "s-", label="N(0, I)")
    ax[0].axhline(threshold, color="k", ls="--", lw=1, label="D / 2")
    ax[0].set_xlabel("oracle noise (RMS L2)")
    ax[0].set_ylabel("Delta_hat")
    ax[0].set_yscale("symlog", linthresh=0.1)
    ax[0].set_ylim(bottom=0)
    ax[0].legend()
    ax[1].plot(noise, [r["accuracy"] for r in rows], "o-")
    ax[1].set_ylim(0, 1.05)
    ax[1].set_xlabel("oracle noise (RMS L2)")
    ax[1].set_ylabel("accuracy of the certificate test")
    _common.save_figure(fig, args, "certificate.png")


if __name__ == "__main__":
    main()
