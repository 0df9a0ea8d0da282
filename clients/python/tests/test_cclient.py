"""The C client (clients/c) through its example program against a live
server: register, create pancakes, sample, score, logpdf, the budget
refusal, reveal, and the commitment check with libsodium."""

import os
import re
import shutil
import subprocess

import pytest

from scoracle_live import ROOT, live  # noqa: F401


def example():
    build = os.environ.get("SCORACLE_BUILD") or str(ROOT / "build")
    path = os.path.join(build, "clients", "scoracle-example")
    if not os.path.exists(path):
        pytest.fail("%s is not built (make builds it)" % path)
    return path


def test_c_example_end_to_end(live):
    p = subprocess.run([example(), live.base_url], capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    out = p.stdout
    assert re.search(r"^player: pl_[0-9a-f]{24}$", out, re.M)
    assert re.search(r"^instance: in_[0-9a-f]{24}$", out, re.M)
    assert "samples: 4 x 8" in out
    rows = re.findall(r"^point \d: x0 (\S+) score0 (\S+) logpdf (\S+)$", out,
                      re.M)
    assert len(rows) == 4
    assert all(float(lp) < 0 for _, _, lp in rows)
    assert "over budget: 429 urn:scoracle:problem:budget-exhausted" in out
    assert "secret: |u| = 1.000000000000" in out
    assert re.search(r"^commitment [0-9a-f]{64}: opens$", out, re.M)
    assert "changed secret: rejected" in out
    assert out.rstrip().endswith("ok")


def test_c_example_reports_an_unreachable_server():
    p = subprocess.run([example(), "http://127.0.0.1:1"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 1
    assert "register failed (-2)" in p.stderr


@pytest.mark.skipif(shutil.which("valgrind") is None,
                    reason="valgrind is not installed")
def test_c_example_is_clean_under_valgrind(live):
    with open(example(), "rb") as f:
        if b"__asan_init" in f.read():
            pytest.skip("a sanitizer build: valgrind cannot run it")
    p = subprocess.run(["valgrind", "-q", "--error-exitcode=99",
                        "--leak-check=full",
                        "--errors-for-leak-kinds=definite,indirect",
                        example(), live.base_url],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
