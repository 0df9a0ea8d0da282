"""Validates HTTP bodies against proto/openapi.yaml.

Used by the HTTP tests: after a request,

    from openapi_check import validate_response
    validate_response("POST", "/v1/instances", 201, body)

raises AssertionError naming the operation and the first violation when
the body does not match the document.  path may be the template
("/v1/instances/{id}/score") or a concrete path ("/v1/instances/in_.../score").
Schemas are Draft 2020-12 (OpenAPI 3.1); "$ref"s into the document
resolve by embedding its components into the validated schema, which
works with any jsonschema version.
"""

import functools
import os
import re

import jsonschema
import yaml

DOC_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "..", "..", "proto", "openapi.yaml")
JSON_TYPES = ("application/json", "application/problem+json")


@functools.lru_cache(maxsize=None)
def document():
    """The parsed document (cached; treat as read-only)."""
    with open(DOC_PATH, encoding="utf-8") as f:
        return yaml.safe_load(f)


def resolve(node):
    """Follows "$ref" chains inside the document."""
    while isinstance(node, dict) and "$ref" in node:
        node = pointer(node["$ref"])
    return node


def pointer(ref):
    """The node a local reference ("#/components/...") names."""
    if not ref.startswith("#/"):
        raise AssertionError("non-local $ref %r" % ref)
    node = document()
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(part)]
        elif part in node:
            node = node[part]
        else:
            raise AssertionError("unresolved $ref %r" % ref)
    return node


def find_template(path):
    """The path template of the document matching path."""
    paths = document()["paths"]
    if path in paths:
        return path
    for template in paths:
        rx = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(rx, path):
            return template
    raise AssertionError("path %s is not in openapi.yaml" % path)


def operation(method, path):
    """The operation object of method and path (template or concrete)."""
    item = document()["paths"][find_template(path)]
    op = item.get(method.lower())
    if op is None:
        raise AssertionError("%s %s is not in openapi.yaml" % (method, path))
    return op


def validate(schema, body, what):
    """Checks body against a schema of (or referring into) the document;
    what names the check in the AssertionError."""
    root = dict(schema)
    root["components"] = document()["components"]
    validator = jsonschema.Draft202012Validator(root)
    error = jsonschema.exceptions.best_match(validator.iter_errors(body))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        raise AssertionError("%s: at %s: %s%s" % (what, where, error.message,
                                                  _branches(error)))


def _branches(error):
    """Why each branch of a failed oneOf/anyOf failed, skipping the
    branches a "const" tag (family, kind) rules out."""
    why = [e.message for e in error.context if e.validator != "const"]
    return " (%s)" % "; ".join(why) if why else ""


def _json_schema(content, what, problem):
    """The schema of the JSON media type of a content map."""
    order = JSON_TYPES[::-1] if problem else JSON_TYPES
    for media in order:
        if media in content:
            return content[media].get("schema", {})
    raise AssertionError("%s has no JSON body in openapi.yaml" % what)


def validate_response(method, path_template, status, body_json):
    """Checks a decoded JSON response body against the document.  A 405
    for a method the path lacks, or a 404 for a path the document lacks,
    is checked against the problem schema every error shares."""
    what = "%s %s -> %s" % (method.upper(), path_template, status)
    if _undocumented(method, path_template, status):
        validate({"$ref": "#/components/schemas/Problem"}, body_json, what)
        return
    op = operation(method, path_template)
    responses = op.get("responses", {})
    response = responses.get(str(status))
    if response is None:
        response = responses.get("%dXX" % (status // 100),
                                 responses.get("default"))
    if response is None:
        raise AssertionError("%s: status not documented" % what)
    response = resolve(response)
    schema = _json_schema(response.get("content", {}), what, status >= 400)
    validate(schema, body_json, what)


def _undocumented(method, path, status):
    try:
        operation(method, path)
    except AssertionError:
        return status in (404, 405)
    return False


def validate_request(method, path_template, body_json):
    """Checks a JSON request body against the document (for tests that
    want to show a body they send is one the document allows)."""
    op = operation(method, path_template)
    what = "%s %s request" % (method.upper(), path_template)
    body = resolve(op.get("requestBody"))
    if body is None:
        raise AssertionError("%s: no request body documented" % what)
    validate(_json_schema(body["content"], what, False), body_json, what)


def validate_schema(name, value):
    """Checks a value against a named schema of components.schemas (e.g.
    "ReceiptPayload" for a decoded receipt payload)."""
    if name not in document()["components"]["schemas"]:
        raise AssertionError("no schema %s in openapi.yaml" % name)
    validate({"$ref": "#/components/schemas/" + name}, value, name)
