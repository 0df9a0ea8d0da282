"""proto/openapi.yaml itself: it parses, every $ref resolves, every
endpoint of proto/API.md is there with its error responses, request
schemas refuse unknown members, and the contract's own examples
validate (through openapi_check, which the HTTP tests use)."""

import os
import re
import sys

import jsonschema
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import openapi_check as oc  # noqa: E402

METHODS = ("get", "post", "put", "patch", "delete")
PROTO = os.path.dirname(oc.DOC_PATH)


def operations():
    for path, item in oc.document()["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def walk(node, where="#"):
    """Every (location, dict) of the document."""
    if isinstance(node, dict):
        yield where, node
        for k, v in node.items():
            yield from walk(v, "%s/%s" % (where, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, "%s/%d" % (where, i))


def api_md_endpoints():
    with open(os.path.join(PROTO, "API.md"), encoding="utf-8") as f:
        text = f.read()
    found = set(re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`\s?]*)", text))
    assert len(found) >= 20, "API.md endpoints not recognised"
    return sorted(found)


def test_document_is_openapi_3_1():
    doc = oc.document()
    assert doc["openapi"].startswith("3.1.")
    assert doc["info"]["version"] == "0.1.0"
    assert doc["components"]["securitySchemes"]["bearer"] == {
        **doc["components"]["securitySchemes"]["bearer"],
        "type": "http", "scheme": "bearer"}
    assert doc["security"] == [{"bearer": []}]


def test_every_ref_resolves():
    refs = [(w, n["$ref"]) for w, n in walk(oc.document()) if "$ref" in n]
    assert refs
    for where, ref in refs:
        oc.pointer(ref)  # raises on a dangling reference


def test_every_schema_is_valid_draft_2020_12():
    for name, schema in oc.document()["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("method,path", api_md_endpoints())
def test_every_api_md_endpoint_is_documented(method, path):
    assert path in oc.document()["paths"], path
    assert method.lower() in oc.document()["paths"][path], (method, path)


def test_operation_ids_are_unique():
    ids = [op["operationId"] for _, _, op in operations()]
    assert len(ids) == len(set(ids))


def _is_public(op):
    return op.get("security", oc.document()["security"]) == []


def _path_params(path, op):
    item = oc.document()["paths"][path]
    params = [oc.resolve(p) for p in item.get("parameters", []) +
              op.get("parameters", [])]
    return {p["name"] for p in params if p["in"] == "path"}


@pytest.mark.parametrize("path,method,op", list(operations()),
                         ids=lambda x: x if isinstance(x, str) else "")
def test_every_operation_documents_its_errors(path, method, op):
    codes = set(op["responses"])
    assert any(c.startswith("2") for c in codes), "no success response"
    assert "405" in codes, "no 405"
    if not _is_public(op):
        assert {"401", "500"} <= codes, "authenticated: 401 and 500"
    if "requestBody" in op:
        assert {"400", "413", "415", "422"} <= codes, "a body: 400 413 415 422"
    if _path_params(path, op):
        assert "404" in codes, "a path id: 404"
        if not _is_public(op):
            assert "403" in codes, "someone else's id: 403"
    if path.startswith("/v1/instances/{id}/") and path != \
            "/v1/instances/{id}/reveal":
        assert {"409", "429", "503"} <= codes, "an oracle: 409 429 503"


def test_every_error_response_is_a_problem():
    problem = "#/components/schemas/Problem"
    for path, method, op in operations():
        for code, response in op["responses"].items():
            if int(code) < 400:
                continue
            content = oc.resolve(response)["content"]
            assert list(content) == ["application/problem+json"], \
                (path, method, code)
            assert content["application/problem+json"]["schema"] == \
                {"$ref": problem}


def test_path_parameters_match_templates():
    for path, method, op in operations():
        assert _path_params(path, op) == set(re.findall(r"\{(\w+)\}", path)), \
            (method, path)


def _request_schemas():
    for path, method, op in operations():
        body = oc.resolve(op.get("requestBody"))
        if body and "application/json" in body["content"]:
            yield path, method, body["content"]["application/json"]["schema"]


def _closed(schema, seen):
    """Every object schema reachable in a request refuses unknown
    members (directly, or in each branch of its oneOf)."""
    schema = oc.resolve(schema)
    if id(schema) in seen or not isinstance(schema, dict):
        return
    seen.add(id(schema))
    if "properties" in schema:
        assert schema.get("additionalProperties") is False, schema
    for key in ("oneOf", "anyOf", "allOf"):
        for sub in schema.get(key, []):
            _closed(sub, seen)
    for sub in schema.get("properties", {}).values():
        _closed(sub, seen)


def test_request_objects_refuse_unknown_members():
    schemas = list(_request_schemas())
    assert len(schemas) >= 8
    for path, method, schema in schemas:
        _closed(schema, set())


def test_npy_alternatives_are_offered():
    paths = oc.document()["paths"]
    for oracle in ("score", "logpdf"):
        op = paths["/v1/instances/{id}/%s" % oracle]["post"]
        assert "application/x-npy" in op["requestBody"]["content"]
        assert "application/x-npy" in op["responses"]["200"]["content"]
        assert any(oc.resolve(p)["name"] == "t" and oc.resolve(p)["in"] ==
                   "query" for p in op["parameters"])
    samples = paths["/v1/instances/{id}/samples"]["post"]
    assert "application/x-npy" in samples["responses"]["200"]["content"]


# The contract's examples (proto/API.md) validate, and
# their near misses do not.

GOOD_REQUESTS = [
    ("POST", "/v1/players", {"name": "alice"}),
    ("POST", "/v1/players", {"name": "bob", "role": "instructor"}),
    ("POST", "/v1/instances", {"family": "gaussian", "dim": 3}),
    ("POST", "/v1/instances", {
        "family": "pancakes", "dim": 8, "gamma": 2.5, "sigma": 0.05,
        "components": 5, "budget": {"samples": 100, "score": None},
        "oracle": {"t_min": 0.0, "noise": 0.0}}),
    ("POST", "/v1/instances", {"family": "gmm", "dim": 2, "components": 2,
                               "weights": [0.5, 0.5]}),
    ("POST", "/v1/instances", {"family": "owf", "seed_bits": 8,
                               "image_bits": 16}),
    ("POST", "/v1/instances/{id}/samples", {"n": 100, "t": 0.0}),
    ("POST", "/v1/instances/{id}/score", {"t": 0.1, "points": [[1, 2]]}),
    ("POST", "/v1/instances/{id}/logpdf", {"points": [[1.5]]}),
    ("POST", "/v1/challenges", {"kind": "distinguish", "rounds": 20,
                                "instance": {"family": "pancakes", "dim": 4,
                                             "gamma": 2, "sigma": 0.1}}),
    ("POST", "/v1/challenges", {"kind": "score", "preset": "pancakes-easy"}),
    ("POST", "/v1/challenges/{id}/rounds/{index}/answer",
     {"guess": "planted"}),
    ("POST", "/v1/challenges/{id}/rounds/{index}/answer",
     {"direction": [0.6, 0.8]}),
    ("POST", "/v1/challenges/{id}/rounds/{index}/answer",
     {"scores": [[0.1, 0.2]]}),
    ("POST", "/v1/challenges/{id}/rounds/{index}/answer",
     {"seed": "a5"}),
    ("POST", "/v1/classes", {"name": "crypto 101"}),
    ("POST", "/v1/classes/join", {"code": "x7k2", "name": "carol"}),
]

BAD_REQUESTS = [
    ("POST", "/v1/players", {"name": "alice", "admin": True}),
    ("POST", "/v1/players", {"name": "eve", "role": "admin"}),
    ("POST", "/v1/instances", {"family": "gaussian", "dim": 3, "gamma": 1}),
    ("POST", "/v1/instances", {"family": "pancakes", "dim": 8, "gamma": 2}),
    ("POST", "/v1/instances", {"family": "gaussian", "dim": 0}),
    ("POST", "/v1/instances", {"family": "gaussian", "dim": "3"}),
    ("POST", "/v1/instances", {"family": "owf", "seed_bits": 8,
                               "image_bits": 16, "f_key": "00" * 32}),
    ("POST", "/v1/instances", {"family": "gaussian", "dim": 3,
                               "budget": {"samples": -1}}),
    ("POST", "/v1/instances/{id}/samples", {"n": 0}),
    ("POST", "/v1/instances/{id}/score", {"t": -1, "points": [[1]]}),
    ("POST", "/v1/instances/{id}/score", {"points": []}),
    ("POST", "/v1/instances/{id}/score", {"points": [[1]], "x": 1}),
    ("POST", "/v1/challenges", {"kind": "guess", "preset": "p"}),
    ("POST", "/v1/challenges", {"kind": "score"}),
    ("POST", "/v1/challenges/{id}/rounds/{index}/answer",
     {"guess": "maybe"}),
]


@pytest.mark.parametrize("method,path,body", GOOD_REQUESTS)
def test_contract_requests_validate(method, path, body):
    oc.validate_request(method, path, body)


@pytest.mark.parametrize("method,path,body", BAD_REQUESTS)
def test_near_misses_do_not(method, path, body):
    with pytest.raises(AssertionError):
        oc.validate_request(method, path, body)


INSTANCE = {
    "id": "in_" + "0123456789abcdef01234567", "family": "pancakes",
    "dim": 4, "params": {"dim": 4, "gamma": 2.0, "sigma": 0.1,
                         "components": 0},
    "budget": {"samples": 100, "score": None, "logpdf": None},
    "used": {"samples": 0, "score": 0, "logpdf": 0},
    "oracle": {"t_min": 0.0, "noise": 0.0},
    "commitment": "ab" * 32, "status": "open",
    "created_at": "2026-11-22T05:00:00Z",
}


def test_responses_validate_and_mismatches_are_named():
    oc.validate_response("POST", "/v1/instances", 201, INSTANCE)
    oc.validate_response("GET", "/v1/instances/in_x/score", 405, {
        "type": "urn:scoracle:problem:method-not-allowed",
        "title": "Method not allowed", "status": 405, "detail": "POST"})
    oc.validate_response("POST", "/v1/instances/{id}/samples", 429, {
        "type": "urn:scoracle:problem:budget-exhausted", "title": "t",
        "status": 429, "detail": "d",
        "remaining": {"samples": 3, "score": None, "logpdf": 0}})
    with pytest.raises(AssertionError, match="commitment"):
        oc.validate_response("POST", "/v1/instances", 201,
                             {**INSTANCE, "commitment": "xyz"})
    with pytest.raises(AssertionError, match="not documented"):
        oc.validate_response("GET", "/v1/info", 418, {})
    with pytest.raises(AssertionError, match="not in openapi"):
        oc.validate_response("GET", "/v2/nothing", 200, {})
    oc.validate_response("GET", "/v2/nothing", 404, {
        "type": "urn:scoracle:problem:not-found", "title": "Not found",
        "status": 404, "detail": "no route"})
    with pytest.raises(AssertionError, match="required property"):
        oc.validate_response("DELETE", "/v1/info", 405, {"type": "x"})
    with pytest.raises(AssertionError, match="type"):
        oc.validate_response("POST", "/v1/instances", 422, {"detail": "x"})


# The family parameters of the document are core's spec tables: a tiny C
# program prints them and every name, required flag and bound must agree.

REQUIRED, MIN_OPEN, OUTPUT = 1, 2, 4
BLAS = "/usr/include/x86_64-linux-gnu/openblas-serial"
BLAS_LIB = "/usr/lib/x86_64-linux-gnu/openblas-serial"


@pytest.fixture(scope="module")
def core_specs(tmp_path_factory):
    import glob
    import json
    import subprocess
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    exe = str(tmp_path_factory.mktemp("spec") / "spec_dump")
    sources = sorted(glob.glob(os.path.join(root, "core", "*.c")))
    subprocess.run(["cc", "-std=c17", "-O0", "-I" + root, "-I" + BLAS,
                    "-D_DEFAULT_SOURCE", "-o", exe,
                    os.path.join(root, "tests", "http", "spec_dump.c")] +
                   sources + ["-L" + BLAS_LIB, "-Wl,-rpath," + BLAS_LIB,
                              "-lopenblas", "-lsodium", "-lm", "-pthread"],
                   check=True)
    out = subprocess.run([exe], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def _bounds_agree(schema, spec):
    lo, hi = spec["min"], spec["max"]
    if spec["flags"] & MIN_OPEN:
        assert schema.get("exclusiveMinimum") == lo, (spec, schema)
    elif lo is not None:
        assert schema.get("minimum") == lo, (spec, schema)
    # DBL_MAX and infinity both mean "no upper bound" on the wire
    if hi is not None and hi < 1.7e308:
        assert schema.get("maximum") == hi, (spec, schema)


def _agree(schema, spec):
    schema = oc.resolve(schema)
    kind = spec["type"]
    if kind == "uint":
        assert schema["type"] == "integer", spec
        _bounds_agree(schema, spec)
    elif kind == "double":
        assert schema["type"] == "number", spec
        _bounds_agree(schema, spec)
    elif kind == "dvec":
        assert schema["type"] == "array", spec
        _bounds_agree(schema["items"], spec)
    else:
        assert schema["pattern"] == "^[0-9a-f]{64}$", spec


def test_families_are_core_families(core_specs):
    enum = oc.document()["components"]["schemas"]["Family"]["enum"]
    assert enum == list(core_specs)


@pytest.mark.parametrize("family", ["gaussian", "pancakes", "gmm", "owf"])
def test_family_parameters_match_core_specs(core_specs, family):
    schemas = oc.document()["components"]["schemas"]
    title = family.capitalize() if family != "gmm" else "Gmm"
    create = schemas[title + "Create"]
    params = schemas[title + "Params"]
    specs = core_specs[family]
    inputs = {s["name"] for s in specs if not s["flags"] & OUTPUT}
    assert set(create["properties"]) == inputs | {"family", "budget",
                                                  "oracle"}
    assert set(params["properties"]) == {s["name"] for s in specs}
    assert set(create["required"]) == {s["name"] for s in specs
                                       if s["flags"] & REQUIRED} | {"family"}
    for spec in specs:
        _agree(params["properties"][spec["name"]], spec)
        if spec["name"] in inputs:
            _agree(create["properties"][spec["name"]], spec)


def test_every_example_validates():
    examples = 0
    for where, node in walk(oc.document()):
        if "schema" in node and "examples" in node:
            for name, example in node["examples"].items():
                oc.validate(node["schema"], example["value"],
                             "%s example %s" % (where, name))
                examples += 1
    assert examples >= 10
