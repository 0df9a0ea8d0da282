"""scoracle: a client for the scoracle score-oracle server.

    from scoracle import Client
    c = Client("http://127.0.0.1:8080")
    c.register("alice")
    inst = c.create_instance("pancakes", dim=2, gamma=6, sigma=0.05)
    x = c.samples(inst["id"], 1000)
    s = c.score(inst["id"], x, t=0.1)
    secret = scoracle.open_instance(inst["id"], c.reveal(inst["id"]),
                                    inst["commitment"])

See help(Client) for every operation, scoracle.errors for the exceptions and
scoracle.verify for offline checks of commitments, receipts and the owf f.
The command-line tool is ``scoracle`` (or ``python3 -m scoracle``).
"""

from .client import Client, Response
from .errors import (ApiError, BudgetExhausted, Conflict, Forbidden,
                     InvalidParameters, MalformedRequest, MethodNotAllowed,
                     NotFound, Overloaded, PayloadTooLarge, RateLimited,
                     ScoracleError, ServerError, TransportError, Unauthorized,
                     UnsupportedMediaType, VerificationError,
                     VerificationUnavailable)
from .verify import (b_hat, challenge_commitment, instance_commitment,
                     inverts, open_challenge, open_instance, owf_f,
                     secret_bytes, seed_hex, seed_of_sample, verify_receipt)

__version__ = "0.1.0"

__all__ = [
    "Client", "Response", "ApiError", "BudgetExhausted", "Conflict",
    "Forbidden", "InvalidParameters", "MalformedRequest", "MethodNotAllowed",
    "NotFound", "Overloaded", "PayloadTooLarge", "RateLimited",
    "ScoracleError", "ServerError", "TransportError", "Unauthorized",
    "UnsupportedMediaType", "VerificationError", "VerificationUnavailable",
    "b_hat", "challenge_commitment", "instance_commitment", "inverts",
    "open_challenge", "open_instance", "owf_f", "secret_bytes", "seed_hex",
    "seed_of_sample", "verify_receipt",
]
