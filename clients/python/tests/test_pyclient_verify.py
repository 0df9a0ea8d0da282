"""Offline parts of the Python client: verification against the shared
vectors, NPY against numpy's own bytes, receipts against an independent
Ed25519 key."""

import base64
import builtins
import io
import json

import numpy as np
import pytest

# scoracle_live first: it puts clients/python on sys.path.
from scoracle_live import vectors  # noqa: F401
import scoracle
from scoracle import npy, verify


def test_instance_commitment_vector(vectors):
    v = vectors["instance_commitment"]
    assert verify.secret_bytes(v["secret"]).hex() == v["secret_bytes_hex"]
    assert verify.instance_commitment(v["id"], v["secret"], v["salt"]) == \
        v["commitment"]
    reveal = {"secret": v["secret"], "salt": v["salt"],
              "commitment": v["commitment"]}
    assert verify.open_instance(v["id"], reveal) == v["secret"]


def test_a_changed_secret_or_id_does_not_open(vectors):
    v = vectors["instance_commitment"]
    secret = {"u": list(v["secret"]["u"])}
    secret["u"][0] = np.nextafter(secret["u"][0], 1.0)
    with pytest.raises(scoracle.VerificationError):
        verify.open_instance(v["id"], {"secret": secret, "salt": v["salt"]},
                             v["commitment"])
    with pytest.raises(scoracle.VerificationError):
        verify.open_instance(v["id"] + "x", {"secret": v["secret"],
                                             "salt": v["salt"]},
                             v["commitment"])


def test_challenge_commitment_vector(vectors):
    v = vectors["challenge_commitment"]
    assert verify.challenge_commitment(v["id"], v["coins"],
                                       v["round_commitments"], v["salt"]) \
        == v["commitment"]
    flipped = [1 - c for c in v["coins"]]
    assert verify.challenge_commitment(v["id"], flipped,
                                       v["round_commitments"], v["salt"]) \
        != v["commitment"]


def test_owf_f_vectors(vectors):
    v = vectors["owf_f"]
    for case in v["cases"]:
        n, m = case["seed_bits"], case["image_bits"]
        assert verify.owf_f(v["f_key"], case["seed"], n, m) == case["f"]
        assert verify.owf_f(v["f_key"], case["seed_hex"], n, m) == case["f"]
        assert verify.seed_hex(case["seed"]) == case["seed_hex"]


def test_b_hat_reads_the_coset():
    delta = 0.5
    assert verify.b_hat([0.0, 0.25, 0.5, -0.25, 0.74, 0.01 - 0.25],
                        delta) == [0, 1, 0, 1, 1, 1]


def test_npy_matches_numpy_bytes():
    for arr in (np.arange(12.0).reshape(3, 4) / 7, np.linspace(-1, 1, 5),
                np.zeros((0, 3))):
        buf = io.BytesIO()
        np.save(buf, arr)
        assert npy.encode(arr) == buf.getvalue()
        assert npy.encode(arr.tolist()) == buf.getvalue() or arr.size == 0
        assert np.array_equal(npy.to_array(buf.getvalue()), arr)
        assert npy.decode(buf.getvalue()) == arr.tolist()


def test_npy_refuses_what_it_does_not_read():
    buf = io.BytesIO()
    np.save(buf, np.arange(4, dtype=np.float32))
    with pytest.raises(npy.NpyError):
        npy.decode(buf.getvalue())
    good = npy.encode([[1.0, 2.0]])
    with pytest.raises(npy.NpyError):
        npy.decode(good[:-1])
    with pytest.raises(npy.NpyError):
        npy.decode(b"not npy at all")
    with pytest.raises(npy.NpyError):
        npy.encode([[1.0], [1.0, 2.0]])


def _signed(payload_obj):
    from nacl.signing import SigningKey
    key = SigningKey(bytes(range(32)))
    payload = json.dumps(payload_obj).encode()
    sig = key.sign(payload).signature
    receipt = {"payload": base64.b64encode(payload).decode(),
               "signature": base64.b64encode(sig).decode()}
    return receipt, base64.b64encode(bytes(key.verify_key)).decode()


def test_receipt_verifies_and_a_changed_byte_does_not():
    receipt, pub = _signed({"challenge": "ch_1", "result": {"x": 1}})
    assert verify.verify_receipt(receipt, pub)["challenge"] == "ch_1"
    raw = bytearray(base64.b64decode(receipt["payload"]))
    raw[2] ^= 1
    bad = dict(receipt, payload=base64.b64encode(bytes(raw)).decode())
    with pytest.raises(scoracle.VerificationError):
        verify.verify_receipt(bad, pub)


def test_receipt_without_nacl_says_so(monkeypatch):
    receipt, pub = _signed({"challenge": "ch_1"})
    real_import = builtins.__import__

    def no_nacl(name, *args, **kw):
        if name.startswith("nacl"):
            raise ImportError(name)
        return real_import(name, *args, **kw)

    monkeypatch.setattr(builtins, "__import__", no_nacl)
    with pytest.raises(scoracle.VerificationUnavailable) as e:
        verify.verify_receipt(receipt, pub)
    assert "PyNaCl" in str(e.value)


def test_problem_slugs_pick_the_exception():
    from scoracle.errors import from_problem
    e = from_problem(429, {"type": "urn:scoracle:problem:budget-exhausted",
                           "remaining": {"samples": 2, "score": None}})
    assert isinstance(e, scoracle.BudgetExhausted)
    assert e.remaining == {"samples": 2, "score": None}
    e = from_problem(429, {"type": "urn:scoracle:problem:rate-limited"},
                     {"retry-after": "3"})
    assert isinstance(e, scoracle.RateLimited) and e.retry_after == 3.0
    e = from_problem(422, {"errors": [{"field": "gamma", "message": "m"}]})
    assert isinstance(e, scoracle.InvalidParameters)
    assert e.field_errors == {"gamma": "m"}
    assert isinstance(from_problem(502, {}), scoracle.ServerError)
