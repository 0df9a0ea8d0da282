"""Players of the games and an independent verifier of what a challenge
reveals: commitments with hashlib.blake2b (proto/API.md), receipts with
PyNaCl.  Shared by test_challenges.py and test_classes.py."""
import base64
import hashlib
import json

import nacl.signing
import numpy as np

SECRET_ORDER = {"gaussian": [], "pancakes": ["u"], "gmm": ["means", "weights"],
                "owf": []}


def blake2b_256(key_hex, msg):
    return hashlib.blake2b(msg, digest_size=32,
                           key=bytes.fromhex(key_hex)).hexdigest()


def instance_commitment(salt_hex, instance_id, family, secret):
    """BLAKE2b-256(key = salt, "scoracle-commit-v1" 0 id 0 S), S the
    secret arrays as little-endian float64 in API.md's order."""
    s = b"".join(np.asarray(secret[name], dtype="<f8").ravel().tobytes()
                 for name in SECRET_ORDER[family] if name in secret)
    msg = b"scoracle-commit-v1\x00" + instance_id.encode() + b"\x00" + s
    return blake2b_256(salt_hex, msg)


def challenge_commitment(salt_hex, challenge_id, rounds):
    """BLAKE2b-256(key = salt, "scoracle-challenge-v1" 0 id 0 R_0 R_1 ...),
    R_i = one byte (planted) || 32 bytes of round i's commitment."""
    msg = b"scoracle-challenge-v1\x00" + challenge_id.encode() + b"\x00"
    for r in rounds:
        msg += bytes([1 if r["planted"] else 0])
        msg += bytes.fromhex(r["instance"]["commitment"])
    return blake2b_256(salt_hex, msg)


def verify_receipt(receipt_key_b64, receipt):
    """Checks the Ed25519 signature of exactly the payload bytes; answers
    the payload as JSON.  Raises nacl.exceptions.BadSignatureError."""
    key = nacl.signing.VerifyKey(base64.b64decode(receipt_key_b64))
    payload = base64.b64decode(receipt["payload"])
    sig = base64.b64decode(receipt["signature"])
    assert len(sig) == 64
    key.verify(payload, sig)
    return json.loads(payload.decode("utf-8"))


def verify_finished(info, view, fin):
    """Everything a finished challenge publishes must check out: the
    challenge commitment published at creation opens with the revealed
    coins and round commitments; each round's instance commitment opens
    with its revealed secret (the empty secret for a null round); the
    receipt verifies and says what finish said."""
    reveal = fin["reveal"]
    family = view["params"]["family"]
    assert reveal["commitment"] == view["commitment"]
    rounds = sorted(reveal["rounds"], key=lambda r: r["index"])
    assert [r["index"] for r in rounds] == list(range(view["round_count"]))
    by_index = {r["index"]: r for r in view["rounds"]}
    for r in rounds:
        inst = r["instance"]
        published = by_index[r["index"]]["instance"]
        assert r["instance_id"] == published["id"]
        assert inst["commitment"] == published["commitment"]
        fam = family if r["planted"] else "gaussian"
        if not r["planted"]:
            assert inst["secret"] == {}
        assert instance_commitment(inst["salt"], r["instance_id"], fam,
                                   inst["secret"]) == inst["commitment"]
    assert challenge_commitment(reveal["salt"], view["id"], rounds) == \
        view["commitment"]
    payload = verify_receipt(info["receipt_key"], fin["receipt"])
    for k in ("challenge", "player", "kind", "params", "rounds", "result",
              "finished_at"):
        assert k in payload, k
    assert payload["challenge"] == view["id"]
    assert payload["kind"] == view["kind"]
    assert payload["rounds"] == view["round_count"]
    assert payload["result"] == fin["result"]
    assert payload["commitment"] == view["commitment"]
    return payload


def certificate(api, token, instance_id, dim, rng, t=0.1, n=32):
    """The certificate of Gaussianity of MATH.md section 5:
    Delta = mean |s_t(z) + z|^2 over z ~ N(0, I), from the score oracle."""
    z = rng.standard_normal((n, dim))
    r = api.post("/v1/instances/%s/score" % instance_id,
                 {"t": t, "points": z.tolist()}, token=token)
    assert r.status == 200, r
    s = np.asarray(r.json["scores"])
    return float(np.mean(np.sum((s + z) ** 2, axis=1)))


def norm_guess(api, token, instance, n=64):
    """A samples-only player for spread-out mixtures: N(0, I) has
    E |x|^2 / d = 1 with a spread of sqrt(2 / (n d)); gmm-easy's means
    ~ N(0, 16 I) put it far above.  Guesses planted above 1.5."""
    r = api.post("/v1/instances/%s/samples" % instance["id"], {"n": n},
                 token=token)
    assert r.status == 200, r
    x = np.asarray(r.json["samples"])
    return "planted" if np.mean(np.sum(x * x, axis=1)) / x.shape[1] > 1.5 \
        else "null"


def f_bits(f_key_hex, seed_int, n, m):
    """docs/MATH.md section 4: the first m bits of BLAKE2b-512 keyed with
    f_key over the seed packed into ceil(n / 8) bytes, bit i of B being
    (B[i // 8] >> (i % 8)) & 1."""
    seed = seed_int.to_bytes((n + 7) // 8, "little")
    h = hashlib.blake2b(seed, digest_size=64,
                        key=bytes.fromhex(f_key_hex)).digest()
    return tuple((h[i // 8] >> (i % 8)) & 1 for i in range(m))


def b_hat(y, delta):
    """Bit j is 1 when y_j is nearer delta Z + delta / 2 than delta Z."""
    frac = np.mod(np.asarray(y) / delta, 1.0)
    return tuple(int(abs(f - 0.5) < 0.25) for f in frac)


def brute_force_seed(params, y):
    """The seed x with f(x) = b_hat(y), by trying all 2^n; None if none."""
    n, m = params["seed_bits"], params["image_bits"]
    want = b_hat(y, params["delta"])
    for x in range(1 << n):
        if f_bits(params["f_key"], x, n, m) == want:
            return x
    return None
