"""Typed exceptions built from the server's problem details (RFC 9457).

Every error answer of the server is ``application/problem+json`` with a
``type`` of the form ``urn:scoracle:problem:<slug>``.  :func:`from_problem`
picks the exception class by slug (falling back to the status code), so a
caller can write ``except BudgetExhausted as e: print(e.remaining)``.
"""

PROBLEM_PREFIX = "urn:scoracle:problem:"


class ScoracleError(Exception):
    """Base class of every error this client raises."""


class TransportError(ScoracleError):
    """The server could not be reached or answered something unreadable."""


class VerificationError(ScoracleError):
    """A commitment or a receipt did not verify."""


class VerificationUnavailable(ScoracleError):
    """Verification needs a library that is not installed (e.g. PyNaCl)."""


class ApiError(ScoracleError):
    """An error answer of the server.

    Attributes: ``status`` (HTTP status), ``type`` (problem type URI),
    ``slug`` (its last part, e.g. ``"not-found"``), ``title``, ``detail``,
    ``problem`` (the whole decoded body) and ``headers``.
    """

    slug = None

    def __init__(self, status, problem, headers=None):
        self.status = status
        self.problem = problem
        self.type = problem.get("type", "about:blank")
        self.title = problem.get("title", "")
        self.detail = problem.get("detail", "")
        self.headers = dict(headers or {})
        text = self.detail or self.title or "HTTP %d" % status
        super().__init__("%d %s" % (status, text))


class MalformedRequest(ApiError):
    """400: the body or query could not be parsed."""
    slug = "malformed-request"


class Unauthorized(ApiError):
    """401: no token, or a token the server does not know."""
    slug = "unauthorized"


class Forbidden(ApiError):
    """403: the resource belongs to someone else, or the role is too low."""
    slug = "forbidden"


class NotFound(ApiError):
    """404: unknown id or path."""
    slug = "not-found"


class MethodNotAllowed(ApiError):
    """405: wrong method; ``allow`` lists the methods the path takes."""
    slug = "method-not-allowed"

    @property
    def allow(self):
        value = _header(self.headers, "Allow") or ""
        return [m.strip() for m in value.split(",") if m.strip()]


class Conflict(ApiError):
    """409: wrong state (already answered, already finished, ...)."""
    slug = "conflict"


class PayloadTooLarge(ApiError):
    """413: the request body is over the server's limit."""
    slug = "payload-too-large"


class UnsupportedMediaType(ApiError):
    """415: the Content-Type is not one the endpoint takes."""
    slug = "unsupported-media-type"


class InvalidParameters(ApiError):
    """422: parameters out of range, unknown fields, NaN, wrong shapes.

    ``errors`` is the server's list of ``{"field", "message"}`` and
    ``field_errors`` the same as a dict from field to message.
    """
    slug = "invalid-parameters"

    @property
    def errors(self):
        return list(self.problem.get("errors") or [])

    @property
    def field_errors(self):
        return {e.get("field"): e.get("message") for e in self.errors}


class _Wait(ApiError):
    @property
    def retry_after(self):
        """Seconds the server asked to wait (Retry-After), or None."""
        value = _header(self.headers, "Retry-After")
        try:
            return float(value) if value is not None else None
        except ValueError:
            return None


class BudgetExhausted(_Wait):
    """429: the instance's budget cannot pay for the request.

    ``remaining`` is what is left per meter, e.g.
    ``{"samples": 12, "score": None, "logpdf": 0}`` (None: no limit).
    Nothing was spent: a refused request changes nothing.
    """
    slug = "budget-exhausted"

    @property
    def remaining(self):
        return dict(self.problem.get("remaining") or {})


class RateLimited(_Wait):
    """429: too many requests; wait ``retry_after`` seconds."""
    slug = "rate-limited"


class Overloaded(_Wait):
    """503: the server is busy; the client retries these by itself."""
    slug = "overloaded"


class ServerError(ApiError):
    """500 or another 5xx: a fault on the server's side."""
    slug = "internal"


_BY_SLUG = {c.slug: c for c in (
    MalformedRequest, Unauthorized, Forbidden, NotFound, MethodNotAllowed,
    Conflict, PayloadTooLarge, UnsupportedMediaType, InvalidParameters,
    BudgetExhausted, RateLimited, Overloaded, ServerError)}

_BY_STATUS = {400: MalformedRequest, 401: Unauthorized, 403: Forbidden,
              404: NotFound, 405: MethodNotAllowed, 409: Conflict,
              413: PayloadTooLarge, 415: UnsupportedMediaType,
              422: InvalidParameters, 429: RateLimited, 503: Overloaded}


def _header(headers, name):
    for key, value in (headers or {}).items():
        if key.lower() == name.lower():
            return value
    return None


def from_problem(status, problem, headers=None):
    """The exception for an error answer: by problem slug, else by status."""
    if not isinstance(problem, dict):
        problem = {"detail": str(problem)}
    ptype = problem.get("type") or ""
    cls = None
    if ptype.startswith(PROBLEM_PREFIX):
        cls = _BY_SLUG.get(ptype[len(PROBLEM_PREFIX):])
    if cls is None:
        cls = _BY_STATUS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else ApiError
    return cls(status, problem, headers)
