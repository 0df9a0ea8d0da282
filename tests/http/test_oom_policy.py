"""The daemon's out-of-memory policy (server/xalloc.h, docs/ROBUSTNESS.md):
an allocation that fails aborts the process with a message instead of
answering on, and a restart on the same state serves again.  The failure
comes from tests/http/oom_preload.c, preloaded: malloc fails for one
size, that of the answer buffer of a samples request of n points in
dim 3 (n * 3 * 8 bytes)."""
import os
import pathlib
import shutil
import signal
import subprocess

import pytest

from conftest import ROOT, start_server

BUILD = pathlib.Path(os.environ.get("SCORACLE_BUILD", ROOT / "build"))
PRELOAD = BUILD / "tests" / "oompreload.so"
N = 4093  # 4093 * 3 * 8 = 98232 bytes: no other allocation is that size


def sanitized(binary):
    out = subprocess.run(["ldd", binary], capture_output=True, text=True)
    return "libasan" in out.stdout


def test_failed_allocation_aborts_and_restart_serves():
    srv0 = os.environ.get("SCORACLE_BIN", str(ROOT / "build" / "scoracled"))
    if sanitized(srv0):
        pytest.skip("ASan owns malloc; the preload would bypass it")
    assert PRELOAD.exists(), "%s is missing: make all builds it" % PRELOAD
    env = {"LD_PRELOAD": str(PRELOAD),
           "SCORACLE_FAIL_MALLOC": str(N * 3 * 8)}
    srv = start_server(env=env)
    state = srv.state_dir
    try:
        token, _ = srv.api.new_player()
        inst = srv.api.new_instance(token, family="gaussian", dim=3)
        path = "/v1/instances/%s/samples" % inst["id"]
        assert srv.api.post(path, {"n": 2}, token=token).status == 200
        try:
            r = srv.api.post(path, {"n": N}, token=token)
            pytest.fail("the server answered %r" % r)
        except OSError:
            pass  # the connection died with the process
        assert srv.proc.wait(timeout=30) == -signal.SIGABRT
        srv = start_server(state_dir=state)
        assert srv.api.get("/v1/players/me", token=token).status == 200
        assert srv.api.post(path, {"n": 2}, token=token).status == 200
        assert srv.stop() == 0
    finally:
        if srv.proc.poll() is None:
            srv.proc.kill()
        shutil.rmtree(state, ignore_errors=True)
