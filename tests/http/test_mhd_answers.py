"""The answers libmicrohttpd gives itself, before the daemon sees the
request (README.md, "Answers libmicrohttpd gives itself"): pinned here so
that an upgrade that changes them is noticed, and the README table and
deploy/nginx.conf follow.  Every answer the daemon shapes for a broken
request is problem details."""
import socket

import pytest

PROBLEM = b"application/problem+json"


def raw(port, data):
    """Sends data, reads until the server closes (or 3 s pass)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=3)
    got = b""
    try:
        s.sendall(data)
        while True:
            d = s.recv(65536)
            if not d:
                break
            got += d
    except OSError:
        pass
    finally:
        s.close()
    return got


def port(base_url):
    return int(base_url.rsplit(":", 1)[1])


# (name, request bytes, status libmicrohttpd answers)
MHD_CASES = [
    ("headers beyond 32 KiB",
     b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40000 +
     b"\r\n\r\n", 431),
    ("request line beyond 32 KiB",
     b"GET /healthz?" + b"a" * 40000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    ("HTTP/2.0 request line",
     b"GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", 505),
    ("header line without a colon",
     b"GET /healthz HTTP/1.1\r\nHost: x\r\nBadHeader\r\n\r\n", 400),
    ("malformed chunk",
     b"POST /v1/players HTTP/1.1\r\nHost: x\r\n"
     b"Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n"
     b"\r\nzz\r\n", 400),
]


@pytest.mark.parametrize("name,data,status", MHD_CASES,
                         ids=[c[0] for c in MHD_CASES])
def test_libmicrohttpd_answers_itself(base_url, name, data, status):
    got = raw(port(base_url), data)
    assert got.startswith(b"HTTP/1.1 %d " % status), got[:200]
    assert PROBLEM not in got


@pytest.mark.parametrize("value", [b"-5", b"abc"])
def test_bad_content_length_is_answered_twice_by_0_9_75(base_url, value):
    """libmicrohttpd 0.9.75 writes its 400 twice.  When this fails after
    an upgrade, the bug is gone: update README.md's table."""
    got = raw(port(base_url),
              b"POST /v1/players HTTP/1.1\r\nHost: x\r\n"
              b"Content-Length: " + value + b"\r\n\r\n")
    assert got.startswith(b"HTTP/1.1 400 ")
    assert got.count(b"HTTP/1.1 400 ") == 2


def test_a_line_that_is_not_http_gets_no_answer(base_url):
    assert raw(port(base_url), b"HELLO\r\n\r\n") == b""


# Broken requests that reach the daemon: problem details, every one.
DAEMON_CASES = [
    ("unknown path", b"GET /nowhere HTTP/1.1\r\nHost: x\r\n"
     b"Connection: close\r\n\r\n", 404),
    ("wrong method", b"DELETE /healthz HTTP/1.1\r\nHost: x\r\n"
     b"Connection: close\r\n\r\n", 405),
    ("Transfer-Encoding with Content-Length",
     b"POST /v1/players HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
     b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n",
     400),
    ("body over the cap, announced",
     b"POST /v1/players HTTP/1.1\r\nHost: x\r\n"
     b"Content-Type: application/json\r\nContent-Length: 99999999999\r\n"
     b"Connection: close\r\n\r\n", 413),
    ("wrong media type", b"POST /v1/players HTTP/1.1\r\nHost: x\r\n"
     b"Content-Type: text/plain\r\nContent-Length: 2\r\n"
     b"Connection: close\r\n\r\nhi", 415),
    ("bad token", b"GET /v1/players/me HTTP/1.1\r\nHost: x\r\n"
     b"Authorization: Bearer nope\r\nConnection: close\r\n\r\n", 401),
]


@pytest.mark.parametrize("name,data,status", DAEMON_CASES,
                         ids=[c[0] for c in DAEMON_CASES])
def test_daemon_answers_are_problem_details(base_url, name, data, status):
    got = raw(port(base_url), data)
    assert got.startswith(b"HTTP/1.1 %d " % status), got[:200]
    head = got.split(b"\r\n\r\n", 1)[0].lower()
    assert b"content-type: " + PROBLEM in head
