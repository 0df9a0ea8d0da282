"""A live server for the attack suite (tests/http/liveserver.py), with a
fixed master key so that every secret, coin and sample is the same on
every run; thresholds nevertheless hold on any key (test_ladder.py)."""
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

MASTER_KEY = hashlib.blake2b(b"scoracle tests/attacks master key",
                             digest_size=32).digest()


@pytest.fixture(scope="session")
def api():
    state = tempfile.mkdtemp(prefix="scoracle-attacks-")
    srv = start_server(state_dir=state, master_key=MASTER_KEY)
    yield srv.api
    assert srv.stop() == 0
    shutil.rmtree(state, ignore_errors=True)
