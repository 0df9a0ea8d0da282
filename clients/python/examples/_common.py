"""What every example shares: command line, connection, result files.

Each example runs against a scoracle server (default: `make run`'s
http://127.0.0.1:8080), registers a fresh player unless --token is given,
prints what it shows, writes PNG plots with matplotlib's Agg backend into
--out, and with --json FILE also writes its figures as JSON (the tests read
those).  --quick runs a smaller version in seconds.
"""

import argparse
import json
import os
import secrets
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# Runnable from a checkout without installing the package.
sys.path.insert(0, os.path.dirname(HERE))

from scoracle import Client  # noqa: E402


def parser(description):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--url", default=os.environ.get(
        "SCORACLE_URL", "http://127.0.0.1:8080"))
    ap.add_argument("--token", default=os.environ.get("SCORACLE_TOKEN"))
    ap.add_argument("--quick", action="store_true",
                    help="a small run (seconds), as the tests use")
    ap.add_argument("--out", default=".", help="folder for PNG plots")
    ap.add_argument("--json", help="write the figures to this JSON file")
    ap.add_argument("--seed", type=int, default=1,
                    help="seed of the client's own randomness")
    return ap


def connect(args, name):
    """A numpy-mode client; registers a player when no token is given
    (names are unique on a server, so a random suffix is added)."""
    c = Client(args.url, args.token, numpy=True)
    if c.token is None:
        c.register("%s-%s" % (name, secrets.token_hex(4)))
    return c


def pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save_figure(fig, args, filename):
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, filename)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    print("plot: %s" % path)
    return path


def write_json(args, results):
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


def table(header, rows, formats):
    """Prints an aligned table; formats are %-formats per column."""
    cells = [[f % v for f, v in zip(formats, r)] for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells])
              for i, h in enumerate(header)]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths)))
    for r in cells:
        print("  ".join(c.rjust(w) for c, w in zip(r, widths)))
