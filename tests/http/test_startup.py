"""What a start refuses (issue 11): a store with data and no master.key,
a master.key that is not the store's, a damaged or emptied scoracle.db.
Each refusal exits nonzero with a sentence saying what to restore, and
leaves every file of the state folder as it was; with the right files
back the server starts and the old tokens and commitments still work."""
import hashlib
import os
import shutil
import subprocess
import tempfile

import pytest

from conftest import ADMIN_TOKEN, server_bin, start_server
from test_instances import commitment, secret_bytes

# These check the SQLite store's own files; the second pass of tests/http
# (every server on PostgreSQL) has none.  test_replicas.py checks keys on
# PostgreSQL.
pytestmark = pytest.mark.skipif(
    os.environ.get("SCORACLE_HTTP_STORE") == "pg",
    reason="the state folder's SQLite files and key: SQLite only")

PANCAKES = {"family": "pancakes", "dim": 4, "gamma": 4.0, "sigma": 0.05}


def snapshot(state):
    """Every file of the folder: name -> sha256 of its bytes."""
    out = {}
    for name in sorted(os.listdir(state)):
        with open(os.path.join(state, name), "rb") as f:
            out[name] = hashlib.sha256(f.read()).hexdigest()
    return out


def refused(state, *want):
    """Starts scoracled on state, expecting a refusal whose message holds
    every string of want; answers the message."""
    log = tempfile.mktemp(prefix="scoracle-refused-", suffix=".log")
    env = dict(os.environ, SCORACLE_ADMIN_TOKEN=ADMIN_TOKEN,
               OPENBLAS_NUM_THREADS="1")
    proc = subprocess.Popen([server_bin(), "--listen", "127.0.0.1:0",
                             "--state", state, "--log", log],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, text=True)
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("scoracled started on a state it should refuse")
    assert proc.returncode != 0, out
    assert "listening" not in out
    for w in want:
        assert w in err, err
    assert not os.path.exists(log)
    return err


@pytest.fixture
def used_state():
    """A stopped server's state: a player, an instance, its commitment."""
    srv = start_server()
    token, _ = srv.api.new_player()
    inst = srv.api.new_instance(token, **PANCAKES)
    assert srv.api.post("/v1/instances/%s/samples" % inst["id"], {"n": 3},
                        token=token).status == 200
    assert srv.stop() == 0
    yield srv.state_dir, token, inst
    shutil.rmtree(srv.state_dir, ignore_errors=True)


def key_path(state):
    return os.path.join(state, "master.key")


def write_key(state, data):
    fd = os.open(key_path(state), os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                 0o600)
    os.write(fd, data)
    os.close(fd)


def test_missing_then_wrong_key_refused_then_real_key_starts(used_state):
    state, token, inst = used_state
    with open(key_path(state), "rb") as f:
        real = f.read()
    aside = tempfile.mkdtemp(prefix="scoracle-key-")
    shutil.move(key_path(state), os.path.join(aside, "master.key"))
    before = snapshot(state)

    err = refused(state, "master.key is missing", "restore master.key")
    assert snapshot(state) == before  # no new key, nothing written

    write_key(state, os.urandom(32))
    before = snapshot(state)
    refused(state, "not the key this store was made with", "restore")
    assert snapshot(state) == before
    assert real.hex() not in err

    os.remove(key_path(state))
    shutil.move(os.path.join(aside, "master.key"), key_path(state))
    os.rmdir(aside)
    srv = start_server(state_dir=state)
    try:
        api = srv.api
        assert api.get("/v1/players/me", token=token).status == 200
        r = api.post("/v1/instances/%s/reveal" % inst["id"], token=token)
        assert r.status == 200, r
        assert r.json["commitment"] == inst["commitment"]
        assert commitment(r.json["salt"], inst["id"],
                          secret_bytes("pancakes", r.json["secret"])) \
            == inst["commitment"]
    finally:
        assert srv.stop() == 0


def test_fresh_state_with_a_given_key_starts():
    """A key placed before the first start (no store yet) is taken, and
    recorded: the next start with another key is refused."""
    state = tempfile.mkdtemp(prefix="scoracle-state-")
    try:
        srv = start_server(state_dir=state, master_key=os.urandom(32))
        assert srv.stop() == 0
        os.remove(key_path(state))
        write_key(state, os.urandom(32))
        refused(state, "not the key this store was made with")
    finally:
        shutil.rmtree(state, ignore_errors=True)


def corrupt(path):
    """Overwrites the middle of every page after the first with a pattern
    SQLite cannot read as a b-tree page."""
    size = os.path.getsize(path)
    page = 4096
    assert size >= 3 * page, size
    with open(path, "r+b") as f:
        for off in range(page, size, page):
            f.seek(off)
            f.write(b"\x0d\xff\xff\xff" * 64)


def test_damaged_store_refused_and_left_alone(used_state):
    state, _, _ = used_state
    db = os.path.join(state, "scoracle.db")
    assert not os.path.exists(db + "-wal")  # a clean stop checkpoints
    corrupt(db)
    before = snapshot(state)
    refused(state, "scoracle.db", "damaged", "restore it from your backup")
    assert snapshot(state) == before


def test_zero_length_store_is_not_a_fresh_install(used_state):
    state, _, _ = used_state
    db = os.path.join(state, "scoracle.db")
    open(db, "wb").close()
    before = snapshot(state)
    refused(state, "is empty (0 bytes)", "master.key",
            "restore scoracle.db")
    assert snapshot(state) == before
    assert os.path.getsize(db) == 0


def test_store_without_tables_beside_a_key_refused(used_state):
    state, _, _ = used_state
    db = os.path.join(state, "scoracle.db")
    os.remove(db)
    # A valid SQLite file with no tables, beside the old master.key.
    import sqlite3
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    before = snapshot(state)
    refused(state, "holds no tables", "restore it from your backup")
    assert snapshot(state) == before


def test_wal_without_its_database_refused(used_state):
    state, _, _ = used_state
    db = os.path.join(state, "scoracle.db")
    with open(db + "-wal", "wb") as f:
        f.write(b"\0" * 32)
    os.remove(db)
    before = snapshot(state)
    refused(state, "is missing but its write-ahead log",
            "restore scoracle.db")
    assert snapshot(state) == before
