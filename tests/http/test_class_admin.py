"""What an instructor needs beyond the first lesson (server/class_codes.c,
classes.c, class_results.c): their classes listed, the join code shown
again and replaced, assignments with titles and deadlines, partial
progress in the results, and players who already have an account
enrolling with the code."""
import csv
import datetime
import io
import time
import uuid

import pytest

from openapi_check import validate_response

PROBLEM = "application/problem+json"


def unique(prefix):
    return prefix + "-" + uuid.uuid4().hex[:10]


def problem(r, status, field=None):
    assert r.status == status, r
    assert r.content_type == PROBLEM
    if field is not None:
        assert r.json["errors"][0]["field"] == field, r.json
    return r.json


def stamp(seconds_from_now):
    t = datetime.datetime.now(datetime.timezone.utc) + \
        datetime.timedelta(seconds=seconds_from_now)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def teacher(api, admin_token):
    return api.new_player(name=unique("teacher"), token=admin_token,
                          role="instructor")[0]


def new_class(api, teacher, name="Hardness 102"):
    r = api.post("/v1/classes", {"name": name}, token=teacher)
    assert r.status == 201, r
    return r.json


def test_list_own_classes_with_codes_and_counts(api, teacher, admin_token):
    other = api.new_player(name=unique("t2"), token=admin_token,
                           role="instructor")[0]
    mine = [new_class(api, teacher, unique("c")) for _ in range(2)]
    new_class(api, other, unique("theirs"))
    r = api.get("/v1/classes", token=teacher)
    assert r.status == 200, r
    validate_response("GET", "/v1/classes", 200, r.json)
    listed = {c["id"]: c for c in r.json["classes"]}
    assert set(listed) == {c["id"] for c in mine}
    for c in mine:
        assert listed[c["id"]]["join_code"] == c["join_code"]
        assert listed[c["id"]]["students"] == 0
    player = api.new_player()[0]
    problem(api.get("/v1/classes", token=player), 403)


def test_join_code_shown_again_and_rotated(api, teacher):
    k = new_class(api, teacher)
    path = "/v1/classes/" + k["id"]
    r = api.get(path, token=teacher)
    validate_response("GET", "/v1/classes/{id}", 200, r.json)
    assert r.json["join_code"] == k["join_code"]
    r = api.post(path + "/join-code", token=teacher)
    assert r.status == 200, r
    validate_response("POST", "/v1/classes/{id}/join-code", 200, r.json)
    fresh = r.json["join_code"]
    assert fresh != k["join_code"] and len(fresh) == len(k["join_code"])
    assert api.get(path, token=teacher).json["join_code"] == fresh
    problem(api.post("/v1/classes/join", {"code": k["join_code"],
                                          "name": unique("late")}), 404)
    r = api.post("/v1/classes/join", {"code": fresh, "name": unique("ok")})
    assert r.status == 201, r
    problem(api.post(path + "/join-code", {"now": 1}, token=teacher), 422,
            "now")
    player = api.new_player()[0]
    problem(api.post(path + "/join-code", token=player), 403)


def test_existing_player_enrols_with_the_code(api, teacher):
    k = new_class(api, teacher)
    r = api.post("/v1/classes/%s/assignments" % k["id"],
                 {"kind": "distinguish", "preset": "gmm-easy", "rounds": 2,
                  "title": "Week 1"}, token=teacher)
    assert r.status == 201, r
    token, me = api.new_player()
    r = api.post("/v1/classes/join", {"code": k["join_code"]}, token=token)
    assert r.status == 201, r
    validate_response("POST", "/v1/classes/join", 201, r.json)
    assert r.json["id"] == me["id"] and "token" not in r.json
    assert len(r.json["challenges"]) == 1
    mine = api.get("/v1/challenges", token=token).json["challenges"]
    assert [c["id"] for c in mine] == [r.json["challenges"][0]["challenge"]]
    problem(api.post("/v1/classes/join", {"code": k["join_code"]},
                     token=token), 409)
    problem(api.post("/v1/classes/join", {"code": k["join_code"],
                                          "name": "x"}, token=token),
            422, "name")
    problem(api.post("/v1/classes/join", {"code": k["join_code"]}), 422,
            "name")
    problem(api.post("/v1/classes/join", {"code": k["join_code"]},
                     token="not-a-token"), 401)
    students = api.get("/v1/classes/" + k["id"], token=teacher).json
    assert [s["id"] for s in students["students"]] == [me["id"]]


def test_assignment_title_and_deadline(api, teacher):
    k = new_class(api, teacher)
    path = "/v1/classes/%s/assignments" % k["id"]
    tpl = {"kind": "distinguish", "preset": "gmm-easy", "rounds": 2}
    r = api.post(path, dict(tpl, title="Quiz", deadline="2999-01-01T"
                            "12:00:00+02:00"), token=teacher)
    assert r.status == 201, r
    validate_response("POST", "/v1/classes/{id}/assignments", 201, r.json)
    assert r.json["title"] == "Quiz"
    assert r.json["deadline"] == "2999-01-01T10:00:00Z"
    assert "title" not in r.json["template"]
    got = api.get("/v1/classes/" + k["id"], token=teacher).json
    assert got["assignments"][0]["title"] == "Quiz"
    for bad in ("tomorrow", "2999-02-30T00:00:00Z", "2999-01-01T00:00:00",
                "2999-01-01T25:00:00Z", stamp(-60)):
        problem(api.post(path, dict(tpl, deadline=bad), token=teacher), 422,
                "deadline")
    problem(api.post(path, dict(tpl, title=""), token=teacher), 422,
            "title")
    problem(api.post(path, dict(tpl, title=7), token=teacher), 422, "title")


def test_answers_after_the_deadline_are_refused(api, teacher):
    k = new_class(api, teacher)
    student = api.post("/v1/classes/join", {"code": k["join_code"],
                                            "name": unique("s")}).json
    r = api.post("/v1/classes/%s/assignments" % k["id"],
                 {"kind": "distinguish", "preset": "gmm-easy", "rounds": 3,
                  "title": "Timed", "deadline": stamp(2)}, token=teacher)
    assert r.status == 201, r
    cid = r.json["challenges"][0]["challenge"]
    ans = "/v1/challenges/%s/rounds/%d/answer"
    r = api.post(ans % (cid, 0), {"guess": "planted"},
                 token=student["token"])
    assert r.status == 200, r
    time.sleep(3.1)
    detail = problem(api.post(ans % (cid, 1), {"guess": "planted"},
                              token=student["token"]), 409)["detail"]
    assert "deadline" in detail and "Timed" in detail
    # Finishing still scores the rounds.
    r = api.post("/v1/challenges/%s/finish" % cid, token=student["token"])
    assert r.status == 200, r
    assert r.json["result"]["answered"] == 1


def test_results_show_partial_progress(api, teacher):
    k = new_class(api, teacher)
    student = api.post("/v1/classes/join", {"code": k["join_code"],
                                            "name": unique("p")}).json
    r = api.post("/v1/classes/%s/assignments" % k["id"],
                 {"kind": "distinguish", "preset": "gmm-easy", "rounds": 4},
                 token=teacher)
    cid = r.json["challenges"][0]["challenge"]
    for i in range(2):
        assert api.post("/v1/challenges/%s/rounds/%d/answer" % (cid, i),
                        {"guess": "null"},
                        token=student["token"]).status == 200
    r = api.get("/v1/classes/%s/results" % k["id"], token=teacher)
    validate_response("GET", "/v1/classes/{id}/results", 200, r.json)
    row = r.json["results"][0]
    assert row["status"] == "open" and row["result"] is None
    assert row["progress"] == {"rounds": 4, "answered": 2}
    r = api.get("/v1/classes/%s/results" % k["id"], token=teacher,
                headers={"Accept": "text/csv"})
    line = next(csv.DictReader(io.StringIO(r.body.decode())))
    assert line["rounds"] == "4" and line["answered"] == "2"
    assert line["accuracy"] == ""
