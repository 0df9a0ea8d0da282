"""The web arena's static files at / (server/static.c): media types,
ETag revalidation, the Content-Security-Policy, 404 problems for missing
files, and no way out of the served tree."""
import http.client
import json
import os
import shutil
import tempfile
import urllib.parse

import pytest

from liveserver import start_server

FILES = {
    "index.html": b"<!doctype html><title>arena</title>",
    "app.mjs": b"export const x = 1;\n",
    "style.css": b"body{}\n",
    "vendor/lib.js": b"var y = 2;\n",
    "logo.png": b"\x89PNG\r\n\x1a\n",
    ".hidden": b"secret",
}


@pytest.fixture(scope="module")
def site():
    top = tempfile.mkdtemp(prefix="scoracle-web-")
    web = os.path.join(top, "web")
    for name, body in FILES.items():
        path = os.path.join(web, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(body)
    with open(os.path.join(top, "outside.txt"), "wb") as f:
        f.write(b"outside the tree")
    os.symlink(os.path.join(top, "outside.txt"), os.path.join(web, "ln.txt"))
    srv = start_server(args=("--web", web))
    yield srv
    srv.stop()
    shutil.rmtree(top, ignore_errors=True)


def fetch(srv, path, method="GET", headers=None):
    """Sends path exactly as given (no client-side normalisation)."""
    u = urllib.parse.urlsplit(srv.base_url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    c.putrequest(method, path, skip_accept_encoding=True)
    for k, v in (headers or {}).items():
        c.putheader(k, v)
    c.endheaders()
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, body


@pytest.mark.parametrize("path,name,ctype", [
    ("/", "index.html", "text/html; charset=utf-8"),
    ("/index.html", "index.html", "text/html; charset=utf-8"),
    ("/app.mjs", "app.mjs", "text/javascript; charset=utf-8"),
    ("/style.css", "style.css", "text/css; charset=utf-8"),
    ("/vendor/lib.js", "vendor/lib.js", "text/javascript; charset=utf-8"),
    ("/logo.png", "logo.png", "image/png"),
])
def test_files_come_with_their_media_type(site, path, name, ctype):
    status, h, body = fetch(site, path)
    assert status == 200
    assert body == FILES[name]
    assert h["content-type"] == ctype
    assert h["x-content-type-options"] == "nosniff"


def test_csp_is_strict(site):
    _, h, _ = fetch(site, "/")
    csp = [d.strip() for d in h["content-security-policy"].split(";")]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in h["content-security-policy"]
    assert "unsafe-eval" not in h["content-security-policy"]


def test_etag_revalidates_with_304(site):
    _, h, _ = fetch(site, "/app.mjs")
    etag = h["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert h["cache-control"] == "no-cache"
    status, h2, body = fetch(site, "/app.mjs",
                             headers={"If-None-Match": etag})
    assert (status, body, h2["etag"]) == (304, b"", etag)
    status, _, _ = fetch(site, "/app.mjs",
                         headers={"If-None-Match": '"other", ' + etag})
    assert status == 304
    status, _, body = fetch(site, "/app.mjs",
                            headers={"If-None-Match": '"other"'})
    assert (status, body) == (200, FILES["app.mjs"])
    _, h3, _ = fetch(site, "/style.css")
    assert h3["etag"] != etag


def test_head_answers_headers_only(site):
    status, h, body = fetch(site, "/app.mjs", method="HEAD")
    assert (status, body) == (200, b"")
    assert h["content-type"].startswith("text/javascript")


@pytest.mark.parametrize("path", [
    "/missing.html", "/vendor/", "/.hidden", "/ln.txt",
    "/../outside.txt", "/vendor/../../outside.txt",
    "/%2e%2e/outside.txt", "/%2E%2E%2Foutside.txt",
    "/vendor/..%2f..%2foutside.txt", "//outside.txt",
    "/index.html/", "/" + "a" * 4000,
])
def test_missing_or_escaping_paths_are_404_problems(site, path):
    status, h, body = fetch(site, path)
    assert status == 404
    assert h["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == 404
    assert b"outside the tree" not in body and b"secret" not in body


def test_api_paths_stay_the_api(site):
    status, _, body = fetch(site, "/v1/nope")
    assert status == 404 and json.loads(body)["status"] == 404
    status, _, _ = fetch(site, "/v1/info")
    assert status == 200
    status, h, _ = fetch(site, "/index.html", method="POST")
    assert status == 404
    assert h["content-type"] == "application/problem+json"


def test_no_tree_serves_nothing():
    srv = start_server(args=("--web", "/nonexistent/scoracle-web"))
    try:
        status, h, _ = fetch(srv, "/")
        assert status == 404
        assert h["content-type"] == "application/problem+json"
    finally:
        srv.stop()
