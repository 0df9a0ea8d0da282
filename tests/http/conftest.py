"""Live-server fixtures for the HTTP tests (liveserver.py).

A session-wide scoracled runs from $SCORACLE_BIN (default build/scoracled)
with a temporary --state, on a port of 127.0.0.1 the kernel picks
(--listen 127.0.0.1:0; the port is read from the line the server prints),
with SCORACLE_ADMIN_TOKEN set.  Fixtures: `server` (the whole handle),
`base_url`, `admin_token` and `api`, a small urllib client.

The server-start code is liveserver.py's; other test folders import it
from there (tests/stat) or from here (names re-exported) to run servers of
their own (e.g. with --registration closed, or to send SIGTERM).
"""
import pathlib
import shutil
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

# Re-exported: the tests here import these names from conftest.
from liveserver import (ADMIN_TOKEN, ROOT, Api, Response, Server,  # noqa: E402,F401
                        server_bin, start_server)


@pytest.fixture(scope="session")
def server():
    srv = start_server()
    yield srv
    # A clean exit: under ASan a leak or an error makes this nonzero.
    assert srv.stop() == 0
    shutil.rmtree(srv.state_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def base_url(server):
    return server.base_url


@pytest.fixture(scope="session")
def admin_token(server):
    return server.admin_token


@pytest.fixture(scope="session")
def api(server):
    return server.api
