"""Live-server fixtures for the statistical tests.

The server comes from tests/http/liveserver.py (the same starter as the
HTTP tests).  Its master key is fixed, so the secrets and sample streams
of the instances created here are the same on every run (in the same
order); thresholds are nevertheless chosen so that a correct server passes
with probability >= 1 - 1e-4 per assertion on any key (see each test),
the one key-dependent precondition being test_sampling's separated gmm
means, which hold for this key.
"""
import hashlib
import pathlib
import shutil
import sys
import tempfile

import pytest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "http"))
sys.path.insert(0, str(HERE))

from liveserver import start_server  # noqa: E402
from oracle import Instance  # noqa: E402

MASTER_KEY = hashlib.blake2b(b"scoracle tests/stat master key",
                             digest_size=32).digest()


@pytest.fixture(scope="session")
def server():
    state = tempfile.mkdtemp(prefix="scoracle-stat-")
    srv = start_server(state_dir=state, master_key=MASTER_KEY)
    yield srv
    # A clean exit: under ASan a leak or an error makes this nonzero.
    assert srv.stop() == 0
    shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="session")
def api(server):
    return server.api


@pytest.fixture(scope="session")
def token(api):
    tok, _ = api.new_player()
    return tok


@pytest.fixture(scope="session")
def make_instance(api, token):
    """make_instance(**spec) -> an Instance owned by the session's player."""
    def make(**spec):
        return Instance(api, token, api.new_instance(token, **spec))
    return make
