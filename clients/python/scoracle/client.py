"""The scoracle HTTP client: one method per API operation.

    >>> from scoracle import Client
    >>> c = Client("http://127.0.0.1:8080")
    >>> c.register("alice")              # keeps the new token
    >>> inst = c.create_instance("pancakes", dim=2, gamma=6, sigma=0.05)
    >>> x = c.samples(inst["id"], 1000)   # ndarray (1000, 2) with numpy
    >>> s = c.score(inst["id"], x, t=0.1)

Errors arrive as the typed exceptions of :mod:`scoracle.errors`.  Answers
503 (overloaded) are retried after the server's Retry-After, a bounded
number of times.  A Client keeps one keep-alive connection: use one Client
per thread.
"""

import http.client
import json
import time
import urllib.parse

from . import npy
from .config import settings
from .errors import TransportError, from_problem

try:
    import numpy as _np
except ImportError:
    _np = None

NPY_TYPE = "application/x-npy"
JSON_TYPE = "application/json"


def _json_default(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError("%r is not JSON serialisable" % (value,))


def _dumps(obj):
    return json.dumps(obj, default=_json_default, allow_nan=False,
                      separators=(",", ":")).encode()


class Response:
    """One decoded answer: status, headers, and body (dict, list, str or
    bytes for NPY)."""

    def __init__(self, status, headers, body, content_type):
        self.status = status
        self.headers = headers
        self.body = body
        self.content_type = content_type


class Client:
    """A connection to one scoracle server.

    Parameters:
      url       base URL, e.g. ``http://127.0.0.1:8080`` (no ``/v1``);
                None: as the ``scoracle`` command finds it ($SCORACLE_URL,
                then the config file ``scoracle register --save`` writes,
                then http://127.0.0.1:8080)
      token     bearer token (from :meth:`register` or the server's admin
                token); None: $SCORACLE_TOKEN or the saved token, when
                ``url`` is None or names the server they were saved for;
                :meth:`register` sets it when there is none
      timeout   seconds per request
      retries   how many times a 503 is retried (Retry-After honoured,
                each wait capped at ``max_wait`` seconds)
      numpy     True: matrices as ndarrays and bulk calls as NPY; False:
                lists and JSON; None (default): True when numpy imports
      on_response  optional callable(method, route, status, body) seen for
                every answer, e.g. to validate it against the API schema
      progress  optional callable(what, done, total) called after each
                request of a bulk call that is split (samples, score,
                logpdf larger than one request may carry)

    Bulk calls are split by the limits the server publishes in /v1/info
    (points and body bytes per request), so any n works; the answers are
    joined in order.
    """

    def __init__(self, url=None, token=None, *, timeout=120.0, retries=4,
                 max_wait=30.0, numpy=None, on_response=None,
                 progress=None):
        url, token = _resolve(url, token)
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError("url must be http(s)://host[:port], got %r"
                             % url)
        self.url = url.rstrip("/")
        self._scheme = parsed.scheme
        self._netloc = parsed.netloc
        self._prefix = parsed.path.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = retries
        self.max_wait = max_wait
        self.numpy = (_np is not None) if numpy is None else bool(numpy)
        if self.numpy and _np is None:
            raise ValueError("numpy=True but numpy is not installed")
        self.on_response = on_response
        self.progress = progress
        self._conn = None
        self._reused = False
        self._limits = None

    def __repr__(self):
        return "Client(%r)" % self.url

    def close(self):
        """Closes the keep-alive connection (a later call reopens it)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- transport ---------------------------------------------------------

    def _connection(self):
        if self._conn is None:
            cls = (http.client.HTTPSConnection if self._scheme == "https"
                   else http.client.HTTPConnection)
            self._conn = cls(self._netloc, timeout=self.timeout)
            self._reused = False
        return self._conn

    def _exchange(self, method, target, body, headers):
        conn = self._connection()
        try:
            conn.request(method, target, body=body, headers=headers)
        except (BrokenPipeError, ConnectionResetError):
            # The server may answer (413) and close before reading a large
            # body: its answer, when it came, says why.
            if not body:
                raise
            try:
                resp = conn.getresponse()
            except (OSError, http.client.HTTPException):
                resp = None
            if resp is None:
                raise
            data = resp.read()
            self.close()
            return resp.status, {k: v for k, v in resp.getheaders()}, data
        resp = conn.getresponse()
        data = resp.read()
        hdrs = {k: v for k, v in resp.getheaders()}
        if resp.will_close:
            self.close()
        else:
            self._reused = True
        return resp.status, hdrs, data

    def _send_once(self, method, target, body, headers):
        # A kept-alive connection the server closed while idle fails before
        # any answer byte: that case alone is retried, once, on a fresh
        # connection.  A fresh connection's failure is reported as it is.
        stale = (http.client.RemoteDisconnected, BrokenPipeError,
                 ConnectionResetError)
        reused = self._conn is not None and self._reused
        try:
            return self._exchange(method, target, body, headers)
        except stale as exc:
            self.close()
            if not reused:
                raise TransportError("%s %s: %s" % (method, target, exc)) \
                    from exc
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise TransportError("%s %s: %s" % (method, target, exc)) \
                from exc
        try:
            return self._exchange(method, target, body, headers)
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise TransportError("%s %s: %s" % (method, target, exc)) \
                from exc

    def request(self, method, path, *, json_body=None, raw=None,
                content_type=None, accept=JSON_TYPE, query=None, auth=True,
                route=None):
        """Sends one request and answers a :class:`Response`; raises the
        typed error for an error status.  ``path`` starts with ``/``;
        ``route`` is the path template reported to ``on_response``."""
        target = self._prefix + path
        if query:
            q = {k: v for k, v in query.items() if v is not None}
            if q:
                target += "?" + urllib.parse.urlencode(q)
        headers = {"Accept": accept}
        body = None
        if json_body is not None:
            body = _dumps(json_body)
            headers["Content-Type"] = JSON_TYPE
        elif raw is not None:
            body = raw
            headers["Content-Type"] = content_type
        if method in ("POST", "PUT", "PATCH") and body is None:
            body = b""
        if auth and self.token:
            headers["Authorization"] = "Bearer " + self.token
        for attempt in range(self.retries + 1):
            status, hdrs, data = self._send_once(method, target, body,
                                                 headers)
            if status != 503 or attempt == self.retries:
                break
            time.sleep(self._retry_wait(hdrs, attempt))
        resp = self._decode(status, hdrs, data)
        if self.on_response is not None:
            self.on_response(method, route or path, status, resp.body)
        if status >= 400:
            raise from_problem(status, resp.body, hdrs)
        return resp

    def _retry_wait(self, headers, attempt):
        value = None
        for k, v in headers.items():
            if k.lower() == "retry-after":
                value = v
        try:
            wait = float(value)
        except (TypeError, ValueError):
            wait = 0.25 * 2 ** attempt
        return max(0.0, min(wait, self.max_wait))

    @staticmethod
    def _decode(status, headers, data):
        ctype = ""
        for k, v in headers.items():
            if k.lower() == "content-type":
                ctype = v.split(";")[0].strip().lower()
        if ctype == NPY_TYPE:
            body = data
        elif ctype.endswith("json"):
            try:
                body = json.loads(data.decode("utf-8")) if data else None
            except ValueError:
                raise TransportError("HTTP %d: body is not JSON" % status) \
                    from None
        else:
            body = data.decode("utf-8", "replace")
        if status >= 400 and not isinstance(body, dict):
            body = {"status": status, "detail": str(body)[:200]}
        return Response(status, headers, body, ctype)

    def _call(self, method, path, route, **kw):
        return self.request(method, path, route=route, **kw).body

    # -- matrices ------------------------------------------------------------

    def _matrix_out(self, value):
        if self.numpy:
            return _np.asarray(value, dtype=float)
        return value

    def _from_npy(self, data):
        return npy.to_array(data) if self.numpy else npy.decode(data)

    def _bulk(self, npy_mode):
        return self.numpy if npy_mode is None else bool(npy_mode)

    def limits(self):
        """/v1/info's ``limits``, asked once per client."""
        if self._limits is None:
            self._limits = self.info().get("limits", {})
        return self._limits

    def _rows_per_request(self, dim, wire):
        """How many rows of dim doubles one request may carry: ``wire``
        is "npy" (a body of doubles), "json" (text, up to 25 bytes a
        number) or "samples" (an answer of n points)."""
        lim = self.limits()
        dim = max(1, int(dim))
        caps = [int(lim.get("max_points", 1 << 24)) // dim]
        if wire == "npy":
            caps.append((int(lim.get("max_body_bytes", 1 << 30)) - 256)
                        // (8 * dim))
        elif wire == "json":
            caps.append(int(lim.get("max_json_body_bytes", 1 << 30))
                        // (25 * dim + 4))
        else:
            caps.append(int(lim.get("max_samples", 1 << 24)))
        return max(1, min(caps))

    def _split(self, what, n, per, call, join):
        """call(start, stop) for consecutive slices of n rows, at most per
        each, joined in order; progress after each when split."""
        if n <= per:
            return call(0, n)
        parts = []
        for start in range(0, n, per):
            stop = min(n, start + per)
            parts.append(call(start, stop))
            if self.progress is not None:
                self.progress(what, stop, n)
        return join(parts)

    def _join(self, parts, vector):
        if self.numpy:
            return _np.concatenate(parts) if vector else _np.vstack(parts)
        out = []
        for p in parts:
            out.extend(p)
        return out

    def _points_call(self, path, route, points, t, field, npy_mode):
        """score and logpdf: points in, a matrix or vector out, in as
        many requests as the server's limits need."""
        n = len(points)
        if n == 0:
            return self._points_once(path, route, points, t, field,
                                     npy_mode)
        dim = len(points[0])
        per = self._rows_per_request(
            dim, "npy" if self._bulk(npy_mode) else "json")
        return self._split(
            field, n, per,
            lambda a, b: self._points_once(path, route, points[a:b], t,
                                           field, npy_mode),
            lambda parts: self._join(parts, field == "logpdf"))

    def _points_once(self, path, route, points, t, field, npy_mode):
        """One score or logpdf request."""
        if self._bulk(npy_mode):
            raw = npy.encode(_np.asarray(points, dtype=float)
                             if self.numpy else points)
            resp = self.request("POST", path, raw=raw, content_type=NPY_TYPE,
                                accept=NPY_TYPE, query={"t": repr(float(t))},
                                route=route)
            if resp.content_type == NPY_TYPE:
                return self._from_npy(resp.body)
            return self._matrix_out(resp.body[field])
        body = {"t": float(t), "points": points}
        out = self._call("POST", path, route, json_body=body)
        return self._matrix_out(out[field])

    # -- operations ----------------------------------------------------------

    def healthz(self):
        """GET /healthz: ``{"status": "ok"}`` while the server serves."""
        return self._call("GET", "/healthz", "/healthz", auth=False)

    def info(self):
        """GET /v1/info: version, receipt_key, families, kinds, presets,
        registration and limits."""
        return self._call("GET", "/v1/info", "/v1/info", auth=False)

    def openapi(self):
        """GET /v1/openapi.yaml: the API description, as text."""
        return self._call("GET", "/v1/openapi.yaml", "/v1/openapi.yaml",
                          accept="application/yaml, text/plain, */*",
                          auth=False)

    def metrics(self):
        """GET /metrics: Prometheus text."""
        return self._call("GET", "/metrics", "/metrics", accept="text/plain",
                          auth=False)

    def register(self, name, role=None):
        """POST /v1/players: a new player ``{"id", "name", "role", "token"}``.

        With ``role="instructor"`` the call needs an admin or instructor
        token.  The token is shown once; when this client has no token yet
        it keeps the new one.
        """
        body = {"name": name}
        if role is not None:
            body["role"] = role
        out = self._call("POST", "/v1/players", "/v1/players",
                         json_body=body)
        if self.token is None:
            self.token = out.get("token")
        return out

    def me(self):
        """GET /v1/players/me: ``{"id", "name", "role"}`` of the token."""
        return self._call("GET", "/v1/players/me", "/v1/players/me")

    def create_instance(self, family, *, budget=None, oracle=None,
                        **params):
        """POST /v1/instances: a planted distribution you own.

        ``family`` is one of /v1/info's families; ``params`` its public
        parameters (pancakes: dim, gamma, sigma, components; gmm: dim,
        components, spread, variance, weights; owf: seed_bits, image_bits,
        radius, delta, tau, s0, s_y).  ``budget`` is ``{"samples": N,
        "score": N, "logpdf": N}`` in points; ``oracle`` is ``{"t_min":
        0.0, "noise": 0.0}``.  Answers the instance with its commitment.
        """
        body = {"family": family}
        body.update(params)
        if budget is not None:
            body["budget"] = budget
        if oracle is not None:
            body["oracle"] = oracle
        return self._call("POST", "/v1/instances", "/v1/instances",
                          json_body=body)

    def instance(self, instance_id):
        """GET /v1/instances/{id}: parameters, budget, used, status."""
        return self._call("GET", "/v1/instances/" + _seg(instance_id),
                          "/v1/instances/{id}")

    def samples(self, instance_id, n, t=0.0, *, npy_mode=None):
        """POST /v1/instances/{id}/samples: n points of P_t (n x dim).

        Costs n from the samples budget.  Successive calls continue the
        instance's sample stream, so no point repeats.  An n larger than
        one request may carry is drawn in several, in stream order.
        """
        n = int(n)
        lim = self.limits()
        # Small draws fit one request whatever the dim: no need to ask it.
        small = min(int(lim.get("max_samples", 1)),
                    int(lim.get("max_points", 1)) //
                    max(1, int(lim.get("max_dim", 1))))
        if n <= small:
            return self._samples_once(instance_id, n, t, npy_mode)
        dim = self.instance(instance_id)["dim"]
        return self._split(
            "samples", n, self._rows_per_request(dim, "samples"),
            lambda a, b: self._samples_once(instance_id, b - a, t,
                                            npy_mode),
            lambda parts: self._join(parts, False))

    def _samples_once(self, instance_id, n, t, npy_mode):
        path = "/v1/instances/%s/samples" % _seg(instance_id)
        route = "/v1/instances/{id}/samples"
        body = {"n": int(n), "t": float(t)}
        if self._bulk(npy_mode):
            resp = self.request("POST", path, json_body=body,
                                accept=NPY_TYPE, route=route)
            if resp.content_type == NPY_TYPE:
                return self._from_npy(resp.body)
            return self._matrix_out(resp.body["samples"])
        return self._matrix_out(self._call("POST", path, route,
                                           json_body=body)["samples"])

    def score(self, instance_id, points, t=0.0, *, npy_mode=None):
        """POST /v1/instances/{id}/score: grad log P_t at each point.

        ``points`` is an (n x dim) matrix (list of rows or ndarray); the
        answer has the same shape.  Costs n from the score budget.
        """
        return self._points_call(
            "/v1/instances/%s/score" % _seg(instance_id),
            "/v1/instances/{id}/score", points, t, "scores", npy_mode)

    def logpdf(self, instance_id, points, t=0.0, *, npy_mode=None):
        """POST /v1/instances/{id}/logpdf: log P_t at each point (a vector
        of n numbers).  Costs n from the logpdf budget."""
        return self._points_call(
            "/v1/instances/%s/logpdf" % _seg(instance_id),
            "/v1/instances/{id}/logpdf", points, t, "logpdf", npy_mode)

    def evaluate(self, instance_id, eval_points, op="score"):
        """The oracle's answers at a round's eval points.

        ``eval_points`` is a round's ``eval``: ``{"t": [t_0, ...],
        "points": [x_0, ...]}`` with one t per point.  Asks ``op``
        ("score" or "logpdf") once per distinct t and answers the results
        in the points' order (scores as rows, log-densities as numbers):
        the answer of a score or density round that trusts the oracle.
        """
        call = {"score": self.score, "logpdf": self.logpdf}[op]
        ts = [float(t) for t in eval_points["t"]]
        pts = eval_points["points"]
        out = [None] * len(ts)
        for t in sorted(set(ts)):
            idx = [i for i, ti in enumerate(ts) if ti == t]
            got = call(instance_id, [list(pts[i]) for i in idx], t=t)
            for i, v in zip(idx, got):
                out[i] = v.tolist() if hasattr(v, "tolist") else v
        return self._matrix_out(out) if op == "score" else (
            _np.asarray(out) if self.numpy else out)

    def reveal(self, instance_id):
        """POST /v1/instances/{id}/reveal: ``{"secret", "salt",
        "commitment"}``; check it with :func:`scoracle.open_instance`."""
        return self._call("POST",
                          "/v1/instances/%s/reveal" % _seg(instance_id),
                          "/v1/instances/{id}/reveal")

    def read_reveal(self, instance_id):
        """GET /v1/instances/{id}/reveal: the opening of a revealed
        instance again (e.g. after a lost answer to :meth:`reveal`)."""
        return self._call("GET",
                          "/v1/instances/%s/reveal" % _seg(instance_id),
                          "/v1/instances/{id}/reveal")

    def create_challenge(self, kind, instance=None, rounds=None, **extra):
        """POST /v1/challenges: a game of ``kind`` (distinguish, recover,
        score, density, posterior).

        ``instance`` holds the family parameters as for create_instance,
        with ``family`` and optional budget and oracle; ``rounds`` is sent
        only when given (the server's default is 20, or the preset's own
        count); ``extra`` passes further fields the server takes (e.g.
        ``preset``, ``public``, ``eval``).
        """
        body = {"kind": kind}
        if rounds is not None:
            body["rounds"] = int(rounds)
        if instance is not None:
            body["instance"] = instance
        body.update(extra)
        return self._call("POST", "/v1/challenges", "/v1/challenges",
                          json_body=body)

    def challenges(self):
        """GET /v1/challenges: your challenges, newest first."""
        return self._call("GET", "/v1/challenges", "/v1/challenges")

    def challenge(self, challenge_id, eval=False):
        """GET /v1/challenges/{id}: status, rounds (each with its instance
        and measurement y) and the commitment.  With ``eval=True`` every
        score or density round carries its eval points (large: see
        :meth:`round_eval` for one round as NPY)."""
        return self._call("GET", "/v1/challenges/" + _seg(challenge_id),
                          "/v1/challenges/{id}",
                          query={"eval": "inline"} if eval else None)

    def round_eval(self, challenge_id, index):
        """GET /v1/challenges/{id}/rounds/{index}/eval: ``{"t": [...],
        "points": matrix}`` of a score or density round (the points as
        NPY when this client uses numpy)."""
        path = "/v1/challenges/%s/rounds/%d/eval" % (_seg(challenge_id),
                                                     int(index))
        route = "/v1/challenges/{id}/rounds/{index}/eval"
        if not self.numpy:
            out = self._call("GET", path, route)
            return {"t": out["t"], "points": out["points"]}
        pts = self._call("GET", path, route, accept=NPY_TYPE)
        ts = self._call("GET", path, route, accept=NPY_TYPE,
                        query={"part": "t"})
        return {"t": self._from_npy(ts).tolist(),
                "points": self._from_npy(pts)}

    def answer(self, challenge_id, index, answer=None, **fields):
        """POST /v1/challenges/{id}/rounds/{index}/answer.

        Give the answer as a dict or as keywords: ``guess="planted"``,
        ``direction=u``, ``scores=S``, ``logpdf=v``, ``sample=x`` or
        ``seed="hex"``.  An answer is final: a second one is a Conflict.
        The answer to the last open round also finishes the challenge: its
        ``status`` is then ``"finished"`` and it carries what
        :meth:`finish` answers (result, reveal, receipt).
        """
        body = dict(answer or {})
        body.update(fields)
        return self._call(
            "POST", "/v1/challenges/%s/rounds/%d/answer"
            % (_seg(challenge_id), int(index)),
            "/v1/challenges/{id}/rounds/{index}/answer", json_body=body)

    def finish(self, challenge_id):
        """POST /v1/challenges/{id}/finish: ``{"result", "reveal",
        "receipt"}``; check with :func:`scoracle.open_challenge` and
        :func:`scoracle.verify_receipt`."""
        return self._call("POST",
                          "/v1/challenges/%s/finish" % _seg(challenge_id),
                          "/v1/challenges/{id}/finish")

    def challenge_reveal(self, challenge_id):
        """GET /v1/challenges/{id}/reveal: what :meth:`finish` answered,
        read again."""
        return self._call("GET",
                          "/v1/challenges/%s/reveal" % _seg(challenge_id),
                          "/v1/challenges/{id}/reveal")

    def leaderboard(self, kind=None, **query):
        """GET /v1/leaderboard: ranked finished public challenges."""
        q = dict(query)
        if kind is not None:
            q["kind"] = kind
        return self._call("GET", "/v1/leaderboard", "/v1/leaderboard",
                          query=q, auth=False)

    def create_class(self, name):
        """POST /v1/classes (instructor): ``{"id", "join_code", ...}``."""
        return self._call("POST", "/v1/classes", "/v1/classes",
                          json_body={"name": name})

    def classes(self):
        """GET /v1/classes (instructor): your classes with their join
        codes and counts."""
        return self._call("GET", "/v1/classes", "/v1/classes")

    def class_info(self, class_id):
        """GET /v1/classes/{id} (instructor): the class, its join code,
        students and assignments."""
        return self._call("GET", "/v1/classes/" + _seg(class_id),
                          "/v1/classes/{id}")

    def rotate_join_code(self, class_id):
        """POST /v1/classes/{id}/join-code (instructor): a new join code;
        the old one stops working."""
        return self._call("POST",
                          "/v1/classes/%s/join-code" % _seg(class_id),
                          "/v1/classes/{id}/join-code")

    def join_class(self, code, name=None):
        """POST /v1/classes/join.  With ``name``, and no token: enrols a
        new player and answers its token (kept by this client).  Without
        ``name``: enrols the player of this client's token."""
        body = {"code": code}
        if name is not None:
            body["name"] = name
        out = self._call("POST", "/v1/classes/join", "/v1/classes/join",
                         json_body=body, auth=name is None)
        if self.token is None:
            self.token = out.get("token")
        return out

    def create_assignment(self, class_id, template, title=None,
                          deadline=None):
        """POST /v1/classes/{id}/assignments (instructor): ``template`` is
        a challenge request (kind, instance or preset, rounds); every
        enrolled player gets a challenge of it with their own secrets.
        ``deadline`` (RFC 3339) closes answers after it."""
        body = dict(template)
        if title is not None:
            body["title"] = title
        if deadline is not None:
            body["deadline"] = deadline
        return self._call("POST",
                          "/v1/classes/%s/assignments" % _seg(class_id),
                          "/v1/classes/{id}/assignments", json_body=body)

    def class_results(self, class_id, csv=False):
        """GET /v1/classes/{id}/results (instructor): JSON, or CSV text
        with ``csv=True``."""
        return self._call("GET", "/v1/classes/%s/results" % _seg(class_id),
                          "/v1/classes/{id}/results",
                          accept="text/csv" if csv else JSON_TYPE)


def _resolve(url, token):
    """The url and token a Client uses (see its docstring)."""
    if url is None:
        return settings(None, token)
    if token is None:
        saved_url, saved_token = settings()
        if saved_url.rstrip("/") == url.rstrip("/"):
            token = saved_token
    return url, token


def _seg(value):
    return urllib.parse.quote(str(value), safe="")
