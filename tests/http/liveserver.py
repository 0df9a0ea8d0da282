"""Starting a scoracled for tests: the code behind the live-server
fixtures of tests/http/conftest.py and tests/stat/conftest.py.

Decision: tests run the real daemon over real sockets, never an in-process
handler: what they pass is what a client sees (MHD's parsing, the worker
pool, the store on disk).  Port 0 and the printed port keep parallel runs
apart; a temporary --state keeps them from sharing a database.

start_server runs $SCORACLE_BIN (default build/scoracled) with a temporary
--state (or the one given), on a port of 127.0.0.1 the kernel picks
(--listen 127.0.0.1:0; the port is read from the line the server prints),
with SCORACLE_ADMIN_TOKEN set, and waits for /healthz.  Api is a small
urllib client; Server the handle of a running server.

With SCORACLE_HTTP_STORE=pg (scripts/test.sh runs tests/http a second
time so) every server stores in PostgreSQL: a fresh database of the
cluster at $SCORACLE_TEST_PG per state folder (its URL kept in
STATE/pg.url, so a restart on the same folder finds its data again).
pg_database makes such a database for tests that share one among
several servers.
"""
import json
import os
import pathlib
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[2]
ADMIN_TOKEN = "test-admin-token-" + "x" * 24


def server_bin():
    return os.environ.get("SCORACLE_BIN", str(ROOT / "build" / "scoracled"))


class Response:
    """status, headers (case-insensitive lookups), body bytes, json."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def content_type(self):
        return (self.headers.get("Content-Type") or "").split(";")[0].strip()

    @property
    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return "<Response %d %s %r>" % (self.status, self.content_type,
                                        self.body[:300])


class Api:
    """Requests against one server; bodies that are dicts or lists travel
    as JSON, bytes as they are (give content_type)."""

    def __init__(self, base_url, timeout=60):
        self.base_url = base_url
        self.timeout = timeout

    def request(self, method, path, body=None, token=None, headers=None,
                content_type=None):
        hdrs = dict(headers or {})
        data = None
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        elif isinstance(body, str):
            data = body.encode()
        elif body is not None:
            data = body
        if content_type is not None:
            hdrs["Content-Type"] = content_type
        if token is not None:
            hdrs["Authorization"] = "Bearer " + token
        req = urllib.request.Request(self.base_url + path, data=data,
                                     headers=hdrs, method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                return Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers, e.read())

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def new_player(self, name=None, token=None, role=None):
        """Registers a player with a unique name; answers (token, body)."""
        body = {"name": name or "p-" + uuid.uuid4().hex[:12]}
        if role is not None:
            body["role"] = role
        r = self.post("/v1/players", body, token=token)
        assert r.status == 201, r
        return r.json["token"], r.json

    def new_instance(self, token, **spec):
        r = self.post("/v1/instances", spec, token=token)
        assert r.status == 201, r
        return r.json


class Server:
    def __init__(self, proc, base_url, state_dir, log_path, stdout_lines):
        self.proc = proc
        self.base_url = base_url
        self.state_dir = state_dir
        self.log_path = log_path
        self.stdout_lines = stdout_lines
        self.admin_token = ADMIN_TOKEN
        self.api = Api(base_url)

    def log_lines(self):
        with open(self.log_path) as f:
            return [json.loads(line) for line in f if line.strip()]

    def stop(self, sig=None):
        if self.proc.poll() is None:
            if sig is None:
                self.proc.terminate()
            else:
                self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


def pg_database():
    """A new empty database of the cluster at $SCORACLE_TEST_PG; its URL.
    Fails loudly when the variable is not set."""
    import psycopg2  # Debian's python3-psycopg2 (scripts/deps.sh)
    base = os.environ.get("SCORACLE_TEST_PG")
    if not base:
        raise RuntimeError("SCORACLE_TEST_PG is not set: scripts/test.sh "
                           "starts a PostgreSQL cluster and sets it")
    name = "t_" + uuid.uuid4().hex[:16]
    conn = psycopg2.connect(base)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CREATE DATABASE " + name)
    conn.close()
    return base.rsplit("/", 1)[0] + "/" + name


def _pg_store_args(state_dir, args):
    """--store for SCORACLE_HTTP_STORE=pg, unless args name one."""
    if os.environ.get("SCORACLE_HTTP_STORE") != "pg" or "--store" in args:
        return []
    os.makedirs(state_dir, mode=0o700, exist_ok=True)
    path = os.path.join(state_dir, "pg.url")
    if not os.path.exists(path):
        with open(path, "w") as f:
            f.write(pg_database())
    with open(path) as f:
        return ["--store", f.read().strip()]


def start_server(state_dir=None, args=(), env=None, admin_token=ADMIN_TOKEN,
                 master_key=None):
    """Starts scoracled and waits for /healthz; answers a Server.  With a
    master_key (32 bytes) every secret and sample stream the server derives
    is the same on every run, for tests whose figures depend on them."""
    state_dir = state_dir or tempfile.mkdtemp(prefix="scoracle-state-")
    if master_key is not None:
        os.chmod(state_dir, 0o700)
        fd = os.open(os.path.join(state_dir, "master.key"),
                     os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, master_key)
        os.close(fd)
    log_path = os.path.join(state_dir, "access.log")
    e = dict(os.environ)
    e["OPENBLAS_NUM_THREADS"] = "1"
    if admin_token is not None:
        e["SCORACLE_ADMIN_TOKEN"] = admin_token
    e.update(env or {})
    args = [*args, *_pg_store_args(state_dir, args)]
    cmd = [server_bin(), "--listen", "127.0.0.1:0", "--state", state_dir,
           "--log", log_path, *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, env=e, text=True)
    lines = []
    first = proc.stdout.readline()
    if "listening on " not in first:
        proc.kill()
        raise RuntimeError("scoracled did not start: %r" % first)
    lines.append(first.strip())
    # Later lines (the admin token on first start) are kept for tests.
    threading.Thread(target=lambda: lines.extend(
        ln.strip() for ln in proc.stdout), daemon=True).start()
    base_url = first.split("listening on ", 1)[1].strip()
    srv = Server(proc, base_url, state_dir, log_path, lines)
    deadline = time.monotonic() + 30
    while srv.api.get("/healthz").status != 200:
        if time.monotonic() > deadline:
            srv.stop()
            raise RuntimeError("scoracled never answered /healthz")
        time.sleep(0.05)
    return srv
