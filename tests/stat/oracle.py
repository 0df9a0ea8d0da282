"""One instance's oracles through the public API, bulk matrices as NPY
(proto/API.md "Bulk encoding"), so that large samples stay cheap."""
import io

import numpy as np

NPY = "application/x-npy"


def to_npy(a):
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(a, dtype="<f8"))
    return buf.getvalue()


def from_npy(body):
    return np.load(io.BytesIO(body), allow_pickle=False)


class Instance:
    def __init__(self, api, token, view):
        self.api = api
        self.token = token
        self.view = view
        self.id = view["id"]
        self.dim = view["dim"]
        self.params = view["params"]
        self._secret = None

    def _path(self, what):
        return "/v1/instances/%s/%s" % (self.id, what)

    def samples(self, n, t=0.0):
        r = self.api.post(self._path("samples"),
                          {"n": int(n), "t": float(t)}, token=self.token,
                          headers={"Accept": NPY})
        assert r.status == 200 and r.content_type == NPY, r
        x = from_npy(r.body)
        assert x.shape == (n, self.dim)
        return x

    def _points(self, what, x, t):
        x = np.atleast_2d(np.asarray(x, dtype=float))
        r = self.api.post(self._path(what) + "?t=%r" % float(t), to_npy(x),
                          token=self.token, content_type=NPY,
                          headers={"Accept": NPY})
        assert r.status == 200 and r.content_type == NPY, r
        return from_npy(r.body)

    def score(self, x, t=0.0):
        s = self._points("score", x, t)
        assert s.shape == np.shape(np.atleast_2d(x))
        return s

    def logpdf(self, x, t=0.0):
        lp = self._points("logpdf", x, t)
        assert lp.shape == (np.atleast_2d(x).shape[0],)
        return lp

    def secret(self):
        """The revealed secret (reveals on first use)."""
        if self._secret is None:
            r = self.api.post(self._path("reveal"), token=self.token)
            assert r.status == 200, r
            self._secret = r.json["secret"]
        return self._secret
