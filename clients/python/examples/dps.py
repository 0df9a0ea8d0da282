"""Unconditional versus posterior sampling through the score oracle
(Gupta et al. 2024).

A reverse-diffusion sampler driven by the server's /score alone (an
exponential integrator of the reverse Ornstein-Uhlenbeck SDE from t = T down
to a small t, then one Tweedie denoising step) produces good samples of an
owf instance: f(1[U > 0]) equals the bits its own V encodes, as for exact
samples.  The same sampler with measurement guidance in the style of DPS
(the gradient of log N(y; V0_hat(x_t), s_y^2 + e^{2t} - 1), V0_hat the
Tweedie estimate) pins V to a measurement y of a hidden sample, but must
also invert f to put U in a matching orthant.  As the number n of seed bits
grows its success rate falls towards the chance of a random seed (the
fraction of seeds that invert, found by brute force), while unconditional
sampling stays good: scores are easy, posterior sampling is not.
"""

import math

import numpy as np

import _common
import _owf
from scoracle import b_hat, owf_f

IMAGE_BITS = 8
T_START = 3.0
T_END = 5e-6


def times(steps):
    return np.geomspace(T_START, T_END, steps)


def tweedie(x, s, t):
    return math.exp(t) * (x + -math.expm1(-2 * t) * s)


def guidance(x, s, t, ys, n, s_y):
    """DPS step: grad_x log N(y; V0_hat, s_y^2 + e^{2t} - 1), with the
    Jacobian of V0_hat taken as e^t I (the oracle has no Hessian)."""
    g = np.zeros_like(x)
    v0 = tweedie(x, s, t)[:, n:]
    g[:, n:] = math.exp(t) * (ys - v0) / (s_y ** 2 + math.expm1(2 * t))
    return g


def sample(c, inst, chains, steps, ys, rng):
    """Runs unconditional chains and, when ys is given, guided chains in
    the same score requests.  Answers (unconditional, guided) samples."""
    _, n, _, _, s_y = _owf.params(inst)
    d = inst["dim"]
    nu = chains
    ng = 0 if ys is None else len(ys)
    x = rng.standard_normal((nu + ng, d))
    ts = times(steps)
    for t, t_next in zip(ts, ts[1:]):
        s = c.score(inst["id"], x, t=t)
        if ng:
            s[nu:] += guidance(x[nu:], s[nu:], t, ys, n, s_y)
        h = t - t_next
        x = math.exp(h) * x + 2 * math.expm1(h) * s \
            + math.sqrt(math.expm1(2 * h)) * rng.standard_normal(x.shape)
    s = c.score(inst["id"], x, t=ts[-1])
    x0 = tweedie(x, s, ts[-1])
    return x0[:nu], x0[nu:]


def run_n(c, n, chains, steps, rng):
    inst = c.create_instance("owf", seed_bits=n, image_bits=IMAGE_BITS)
    f_key, _, m, delta, _ = _owf.params(inst)
    ys = _owf.measure(c, inst, chains, rng)
    uncond, guided = sample(c, inst, chains, steps, ys, rng)
    good = sum(owf_f(f_key, list(seed), n, m) == b_hat(x[n:], delta)
               for seed, x in zip(_owf.seed_of(uncond, n), uncond))
    inverted = sum(owf_f(f_key, list(seed), n, m) == b_hat(y, delta)
                   for seed, y in zip(_owf.seed_of(guided, n), ys))
    phase_ok = sum(b_hat(x[n:], delta) == b_hat(y, delta)
                   for x, y in zip(guided, ys))
    chance = float(np.mean([len(_owf.preimages(inst, y)[0]) / 2 ** n
                            for y in ys[:8]]))
    return {"n": n, "unconditional": good / chains,
            "posterior": inverted / chains, "v_matches_y": phase_ok / chains,
            "chance": chance}


def main():
    args = _common.parser(__doc__).parse_args()
    c = _common.connect(args, "dps")
    rng = np.random.default_rng(args.seed)
    if args.quick:
        ns, chains, steps = (1, 3, 8), 24, 100
    else:
        ns, chains, steps = (1, 2, 3, 4, 6, 8, 10), 64, 200
    print("owf instances, %d image bits; reverse diffusion with %d score "
          "calls per chain from t = %g to %g, %d chains each"
          % (IMAGE_BITS, steps, T_START, T_END, chains))
    rows = [run_n(c, n, chains, steps, rng) for n in ns]
    _common.table(["seed bits", "unconditional good", "DPS inverts f",
                   "DPS V matches y", "random seed inverts"],
                  [(r["n"], r["unconditional"], r["posterior"],
                    r["v_matches_y"], r["chance"]) for r in rows],
                  ["%d", "%.2f", "%.2f", "%.2f", "%.3f"])
    print("unconditional sampling through the oracle stays good (%.2f at "
          "n = %d); guided posterior sampling falls from %.2f at n = %d to "
          "%.2f at n = %d, near the %.3f of a random seed"
          % (rows[-1]["unconditional"], rows[-1]["n"], rows[0]["posterior"],
             rows[0]["n"], rows[-1]["posterior"], rows[-1]["n"],
             rows[-1]["chance"]))
    plot(args, rows)
    _common.write_json(args, {"rows": rows, "steps": steps,
                              "chains": chains})


def plot(args, rows):
    plt = _common.pyplot()
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ns = [r["n"] for r in rows]
    ax.plot(ns, [r["unconditional"] for r in rows], "o-",
            label="unconditional: good samples")
    ax.plot(ns, [r["posterior"] for r in rows], "s-",
            label="DPS: inverts f")
    ax.plot(ns, [r["chance"] for r in rows], "k--", lw=1,
            label="random seed")
    ax.set_xlabel("seed bits n")
    ax.set_ylabel("success rate")
    ax.set_ylim(-0.02, 1.05)
    ax.legend()
    _common.save_figure(fig, args, "dps.png")


if __name__ == "__main__":
    main()
