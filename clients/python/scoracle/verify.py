"""Offline verification: commitments, receipts and the owf function f.

Everything here needs only the standard library, except receipt signatures,
which need an Ed25519 implementation: PyNaCl (Debian's python3-nacl) when it
is importable; otherwise :func:`verify_receipt` raises
:class:`~scoracle.errors.VerificationUnavailable` saying so.

The formulas are those of proto/API.md (commitments, receipts) and
docs/MATH.md section 4 (f, the phase read-out b_hat).
"""

import base64
import hashlib
import hmac
import json
import math
import struct

from .errors import VerificationError, VerificationUnavailable

INSTANCE_TAG = b"scoracle-commit-v1"
CHALLENGE_TAG = b"scoracle-challenge-v1"

# The canonical order of secret arrays (proto/API.md "Secrets").
SECRET_ORDER = ("u", "means", "weights")


def _flatten(value):
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from _flatten(v)
    elif hasattr(value, "tolist"):
        yield from _flatten(value.tolist())
    else:
        yield float(value)


def secret_bytes(secret):
    """Canonical bytes of a revealed secret: its arrays as little-endian
    float64, in the order u, means, weights, matrices row-major."""
    unknown = set(secret) - set(SECRET_ORDER)
    if unknown:
        raise VerificationError("secret has unknown arrays %s"
                                % sorted(unknown))
    out = bytearray()
    for name in SECRET_ORDER:
        if name in secret:
            vals = list(_flatten(secret[name]))
            out += struct.pack("<%dd" % len(vals), *vals)
    return bytes(out)


def _salt(salt_hex):
    try:
        salt = bytes.fromhex(salt_hex)
    except (TypeError, ValueError):
        raise VerificationError("salt is not hex") from None
    if len(salt) != 32:
        raise VerificationError("salt must be 32 bytes, got %d" % len(salt))
    return salt


def instance_commitment(instance_id, secret, salt_hex):
    """hex(BLAKE2b-256(key=salt, "scoracle-commit-v1" 0 id 0 S))."""
    h = hashlib.blake2b(key=_salt(salt_hex), digest_size=32)
    h.update(INSTANCE_TAG + b"\0" + instance_id.encode() + b"\0")
    h.update(secret_bytes(secret))
    return h.hexdigest()


def open_instance(instance_id, reveal, commitment=None):
    """Check an instance reveal ``{"secret", "salt", "commitment"}``.

    ``commitment`` is the value published before the reveal (the instance's
    ``commitment`` field); when omitted the reveal's own copy is used.
    Answers the secret; raises VerificationError when it does not open.
    """
    expected = commitment or reveal.get("commitment")
    if not expected:
        raise VerificationError("no commitment to check against")
    if reveal.get("commitment") and reveal["commitment"] != expected:
        raise VerificationError("the reveal names another commitment")
    got = instance_commitment(instance_id, reveal.get("secret") or {},
                              reveal["salt"])
    if not hmac.compare_digest(got, expected.lower()):
        raise VerificationError(
            "commitment does not open: computed %s, published %s"
            % (got, expected))
    return reveal.get("secret") or {}


def challenge_commitment(challenge_id, planted, round_commitments, salt_hex):
    """hex(BLAKE2b-256(key=salt, "scoracle-challenge-v1" 0 id 0 R_0 R_1 ...))
    with R_i = one byte (1 planted, 0 null) + the 32 bytes of round i's
    instance commitment."""
    if len(planted) != len(round_commitments):
        raise VerificationError("as many coins as round commitments needed")
    h = hashlib.blake2b(key=_salt(salt_hex), digest_size=32)
    h.update(CHALLENGE_TAG + b"\0" + challenge_id.encode() + b"\0")
    for coin, rc in zip(planted, round_commitments):
        raw = bytes.fromhex(rc)
        if len(raw) != 32:
            raise VerificationError("round commitment %r is not 32 bytes"
                                    % rc)
        h.update(bytes([1 if coin else 0]) + raw)
    return h.hexdigest()


def open_challenge(challenge, finish):
    """Check a finished challenge against what was published at creation.

    ``challenge`` is the challenge as created or fetched (it carries
    ``id``, ``commitment`` and ``rounds`` with each round's ``instance``);
    ``finish`` is the answer of finish (or its ``reveal`` part).  Checks
    every round instance's reveal against the instance commitment shown
    during the game, then the challenge commitment.  Answers the list of
    planted bits; raises VerificationError otherwise.
    """
    reveal = finish.get("reveal", finish)
    shown = {r["index"]: r.get("instance") or {}
             for r in challenge.get("rounds", [])}
    rounds = sorted(reveal["rounds"], key=lambda r: r["index"])
    if shown and len(rounds) != len(shown):
        raise VerificationError("the reveal has %d rounds, the challenge %d"
                                % (len(rounds), len(shown)))
    coins, commits = [], []
    for r in rounds:
        inst_reveal = r.get("instance") or {}
        inst = shown.get(r["index"], {})
        published = inst.get("commitment") or inst_reveal.get("commitment")
        inst_id = (inst.get("id") or r.get("instance_id")
                   or inst_reveal.get("id"))
        if not published or not inst_id or "salt" not in inst_reveal:
            raise VerificationError("round %d lacks its instance id, salt "
                                    "or commitment" % r["index"])
        open_instance(inst_id, inst_reveal, published)
        coins.append(bool(r.get("planted", True)))
        commits.append(published)
    got = challenge_commitment(challenge["id"], coins, commits,
                               reveal["salt"])
    if not hmac.compare_digest(got, challenge["commitment"].lower()):
        raise VerificationError(
            "challenge commitment does not open: computed %s, published %s"
            % (got, challenge["commitment"]))
    return coins


def _b64(text, what):
    try:
        return base64.b64decode(text, validate=True)
    except (TypeError, ValueError):
        raise VerificationError("%s is not base64" % what) from None


def verify_receipt(receipt, receipt_key):
    """Verify a receipt ``{"payload", "signature"}`` (base64) against the
    server's ``receipt_key`` (base64 of the Ed25519 public key, from
    ``/v1/info``).  Answers the decoded payload (a dict); raises
    VerificationError for a bad signature and VerificationUnavailable when
    no Ed25519 implementation (PyNaCl) is installed."""
    payload = _b64(receipt["payload"], "payload")
    signature = _b64(receipt["signature"], "signature")
    key = _b64(receipt_key, "receipt_key")
    if len(key) != 32 or len(signature) != 64:
        raise VerificationError("key must be 32 bytes and signature 64")
    try:
        from nacl.exceptions import BadSignatureError
        from nacl.signing import VerifyKey
    except ImportError:
        raise VerificationUnavailable(
            "verifying a receipt needs Ed25519: install PyNaCl "
            "(Debian: apt-get install python3-nacl)") from None
    try:
        VerifyKey(key).verify(payload, signature)
    except BadSignatureError:
        raise VerificationError("receipt signature does not verify") \
            from None
    try:
        return json.loads(payload.decode("utf-8"))
    except ValueError:
        raise VerificationError("receipt payload is not JSON") from None


def _seed_bytes(seed, seed_bits):
    if isinstance(seed, str):
        raw = bytes.fromhex(seed)
        if len(raw) != (seed_bits + 7) // 8:
            raise ValueError("a %d-bit seed is %d bytes"
                             % (seed_bits, (seed_bits + 7) // 8))
        return raw
    bits = [int(b) for b in seed]
    if len(bits) != seed_bits:
        raise ValueError("seed has %d bits, expected %d"
                         % (len(bits), seed_bits))
    return pack_bits(bits)


def pack_bits(bits):
    """Bits to bytes: bit i is (B[i // 8] >> (i % 8)) & 1."""
    out = bytearray((len(bits) + 7) // 8)
    for i, b in enumerate(bits):
        if b:
            out[i // 8] |= 1 << (i % 8)
    return bytes(out)


def unpack_bits(raw, count):
    """The first ``count`` bits of ``raw`` in the order of pack_bits."""
    return [(raw[i // 8] >> (i % 8)) & 1 for i in range(count)]


def owf_f(f_key, seed, seed_bits, image_bits):
    """f(seed): the first image_bits bits of BLAKE2b-512(key=f_key, packed
    seed), docs/MATH.md section 4.  ``f_key`` is 64 hex digits, ``seed``
    a hex string of the packed seed or a sequence of bits."""
    key = bytes.fromhex(f_key)
    digest = hashlib.blake2b(_seed_bytes(seed, seed_bits), key=key,
                             digest_size=64).digest()
    return unpack_bits(digest, image_bits)


def seed_hex(bits):
    """The wire form of a seed: hex of its packed bytes."""
    return pack_bits([int(b) for b in bits]).hex()


def seed_of_sample(sample, seed_bits):
    """The seed a sample x = (U, V) encodes: bit i is 1 when U_i > 0."""
    return [1 if float(v) > 0 else 0 for v in list(sample)[:seed_bits]]


def b_hat(y, delta):
    """The image bits a measurement y reads: b_j = 1 when y_j is nearer the
    coset delta (Z + 1/2) than delta Z, i.e. round(2 y_j / delta) is odd."""
    return [int(math.floor(2.0 * float(v) / delta + 0.5)) & 1 for v in y]


def inverts(f_key, seed_bits, image_bits, delta, y, sample=None, seed=None):
    """The posterior game's predicate: f of the submitted seed (or of the
    seed a submitted sample encodes) equals b_hat(y)."""
    if seed is None:
        seed = seed_of_sample(sample, seed_bits)
    return owf_f(f_key, seed, seed_bits, image_bits) == b_hat(y, delta)
