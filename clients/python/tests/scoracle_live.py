"""Fixtures of the client tests: a live scoracled (started by the server
starter of tests/http/conftest.py), clients whose every answer is validated
against proto/openapi.yaml, and the shared test vectors.

Test modules import the fixtures they use from here.  This folder has no
conftest.py on purpose: pytest keeps one module named "conftest" in
sys.modules, and tests/http's modules import names from theirs."""

import json
import os
import pathlib
import shutil
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(HERE.parent))

import scoracle  # noqa: E402


# The HTTP tests' server starter and API-document checker.
sys.path.insert(0, str(ROOT / "tests" / "http"))
import liveserver  # noqa: E402
import openapi_check  # noqa: E402


class Validator:
    """on_response hook: validates every JSON answer against the API
    document and counts them, so a test can tell that it ran."""

    def __init__(self):
        self.checked = 0
        self.seen = 0

    def __call__(self, method, route, status, body):
        self.seen += 1
        if not isinstance(body, (dict, list)):
            return
        openapi_check.validate_response(method, route, status, body)
        self.checked += 1


@pytest.fixture(scope="session")
def live():
    srv = liveserver.start_server()
    yield srv
    srv.stop()
    shutil.rmtree(srv.state_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def validator():
    return Validator()


@pytest.fixture
def make_client(live, validator):
    """make_client(token=None, register=True, **kw): a validated client,
    registered as a fresh player unless a token is given."""
    made = []

    def make(token=None, register=True, **kw):
        c = scoracle.Client(live.base_url, token, on_response=validator,
                            **kw)
        if token is None and register:
            c.register("t-" + os.urandom(6).hex())
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


@pytest.fixture
def client(make_client):
    return make_client()


@pytest.fixture
def admin(make_client, live):
    return make_client(token=live.admin_token)


@pytest.fixture(scope="session")
def vectors():
    with open(os.path.join(str(ROOT), "tests", "vectors", "crypto.json")) as f:
        return json.load(f)
