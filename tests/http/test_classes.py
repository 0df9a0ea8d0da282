"""Classes end to end: an instructor's class, students joining with the
code, an assignment every student receives with their own secrets,
results as JSON and CSV; students see only their own work."""
import csv
import io
import uuid

import pytest

import gameplay

PROBLEM = "application/problem+json"


def unique(prefix):
    return prefix + "-" + uuid.uuid4().hex[:10]


def problem(r, status):
    assert r.status == status, r
    assert r.content_type == PROBLEM
    return r.json


@pytest.fixture(scope="module")
def teacher(api, admin_token):
    token, body = api.new_player(name=unique("teacher"), token=admin_token,
                                 role="instructor")
    assert body["role"] == "instructor"
    return token


@pytest.fixture(scope="module")
def klass(api, teacher):
    r = api.post("/v1/classes", {"name": "Hardness 101"}, token=teacher)
    assert r.status == 201, r
    assert r.json["id"].startswith("cl_") and len(r.json["join_code"]) >= 10
    return r.json


def join(api, code, name, status=201):
    r = api.post("/v1/classes/join", {"code": code, "name": name})
    assert r.status == status, r
    return r.json


def test_class_flow_end_to_end(api, teacher, klass):
    info = api.get("/v1/info").json
    names = [unique("ada"), unique("bo")]
    students = [join(api, klass["join_code"], n) for n in names]
    for s, n in zip(students, names):
        assert s["name"] == n and s["role"] == "player"
        assert s["class"]["id"] == klass["id"]
        me = api.get("/v1/players/me", token=s["token"]).json
        assert me["id"] == s["id"]

    r = api.post("/v1/classes/%s/assignments" % klass["id"],
                 {"kind": "distinguish", "preset": "gmm-easy",
                  "rounds": 4}, token=teacher)
    assert r.status == 201, r
    assignment = r.json
    assert assignment["id"].startswith("as_")
    given = {c["player"]: c["challenge"] for c in assignment["challenges"]}
    assert set(given) == {s["id"] for s in students}

    # Each student sees their own challenge, and only theirs.
    a, b = students
    mine = api.get("/v1/challenges", token=a["token"]).json["challenges"]
    assert [c["id"] for c in mine] == [given[a["id"]]]
    assert mine[0]["assignment"] == assignment["id"]
    assert mine[0]["public"] is False
    problem(api.get("/v1/challenges/" + given[b["id"]], token=a["token"]),
            403)
    problem(api.post("/v1/challenges/%s/rounds/0/answer" % given[b["id"]],
                     {"guess": "null"}, token=a["token"]), 403)
    problem(api.get("/v1/classes/%s/results" % klass["id"],
                    token=a["token"]), 403)
    problem(api.post("/v1/classes", {"name": "mine"}, token=a["token"]), 403)

    # Their own secrets: the round instances differ.
    views = [api.get("/v1/challenges/" + given[s["id"]],
                     token=s["token"]).json for s in students]
    commits = {r["instance"]["commitment"] for v in views for r in v["rounds"]}
    assert len(commits) == 8

    # Ada plays from samples and finishes; Bo leaves it open.
    for rnd in views[0]["rounds"]:
        guess = gameplay.norm_guess(api, a["token"], rnd["instance"])
        last = api.post("/v1/challenges/%s/rounds/%d/answer" %
                        (views[0]["id"], rnd["index"]), {"guess": guess},
                        token=a["token"]).json
    assert last["status"] == "finished"
    assert last["result"]["correct"] == 4
    gameplay.verify_finished(info, api.get(
        "/v1/challenges/" + views[0]["id"], token=a["token"]).json, last)

    # A late joiner gets the assignment too.
    late = join(api, klass["join_code"], unique("cy"))
    assert [c["assignment"] for c in late["challenges"]] == [assignment["id"]]

    r = api.get("/v1/classes/%s/results" % klass["id"], token=teacher)
    assert r.status == 200 and r.content_type == "application/json"
    rows = {row["player"]: row for row in r.json["results"]}
    assert set(rows) == {a["id"], b["id"], late["id"]}
    assert rows[a["id"]]["status"] == "finished"
    assert rows[a["id"]]["result"]["correct"] == 4
    assert rows[b["id"]]["status"] == "open"
    assert rows[b["id"]]["result"] is None

    r = api.get("/v1/classes/%s/results" % klass["id"], token=teacher,
                headers={"Accept": "text/csv"})
    assert r.status == 200 and r.content_type == "text/csv"
    table = list(csv.DictReader(io.StringIO(r.body.decode("utf-8"))))
    assert len(table) == 3
    by_player = {row["player"]: row for row in table}
    assert by_player[a["id"]]["player_name"] == names[0]
    assert by_player[a["id"]]["status"] == "finished"
    assert by_player[a["id"]]["correct"] == "4"
    assert float(by_player[a["id"]]["p_value"]) == pytest.approx(2 ** -4)
    assert by_player[b["id"]]["status"] == "open"
    assert by_player[b["id"]]["p_value"] == ""

    r = api.get("/v1/classes/" + klass["id"], token=teacher)
    assert r.status == 200
    assert len(r.json["students"]) == 3 and len(r.json["assignments"]) == 1


def test_csv_quotes_names(api, teacher):
    r = api.post("/v1/classes", {"name": "Quotes"}, token=teacher)
    code, cid = r.json["join_code"], r.json["id"]
    tricky = '=cmd|"x",' + uuid.uuid4().hex[:6]
    join(api, code, tricky)
    assert api.post("/v1/classes/%s/assignments" % cid,
                    {"kind": "recover", "preset": "pancakes-easy",
                     "rounds": 1}, token=teacher).status == 201
    r = api.get("/v1/classes/%s/results" % cid, token=teacher,
                headers={"Accept": "text/csv"})
    table = list(csv.DictReader(io.StringIO(r.body.decode("utf-8"))))
    assert [row["player_name"] for row in table] == ["'" + tricky]


def test_join_errors(api, klass):
    problem(api.post("/v1/classes/join", {"code": "wrong-code",
                                          "name": unique("x")}), 404)
    name = unique("dup")
    join(api, klass["join_code"], name)
    problem(api.post("/v1/classes/join",
                     {"code": klass["join_code"], "name": name}), 409)
    problem(api.post("/v1/classes/join", {"code": klass["join_code"]}), 422)
    problem(api.post("/v1/classes/join", {"code": klass["join_code"],
                                          "name": ""}), 422)


def test_only_the_instructor_of_a_class_manages_it(api, admin_token, klass):
    other, _ = api.new_player(name=unique("teacher"), token=admin_token,
                              role="instructor")
    problem(api.get("/v1/classes/%s/results" % klass["id"], token=other),
            403)
    problem(api.post("/v1/classes/%s/assignments" % klass["id"],
                     {"kind": "recover", "preset": "pancakes-easy"},
                     token=other), 403)
    problem(api.get("/v1/classes/cl_000000000000000000000000/results",
                    token=other), 404)
    # The admin may read any class.
    assert api.get("/v1/classes/%s/results" % klass["id"],
                   token=admin_token).status == 200


def test_invalid_assignment_is_422(api, teacher, klass):
    pb = problem(api.post("/v1/classes/%s/assignments" % klass["id"],
                          {"kind": "recover", "preset": "gmm-easy"},
                          token=teacher), 422)
    assert pb["errors"][0]["field"] == "kind"
