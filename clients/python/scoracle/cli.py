"""The ``scoracle`` command: the API from a shell.

Server and token come from --url/--token, else $SCORACLE_URL /
$SCORACLE_TOKEN, else the config file ($SCORACLE_CONFIG or
~/.config/scoracle/config.ini, section [scoracle], keys url and token),
else http://127.0.0.1:8080 without a token.  Results print as a table by
default; --format json|csv|npy changes that, -o FILE writes to a file.
"""

import argparse
import csv
import io
import json
import shutil
import sys

from . import npy, verify
from .client import Client
from .config import config_path, save_config, settings
from .errors import ScoracleError

# Points per samples request when a long draw is split (n * dim doubles
# stay well under the server's per-request cap of 2^24).
CHUNK_DOUBLES = 1 << 20


class UsageError(Exception):
    """A command line that cannot be carried out."""


# -- configuration ------------------------------------------------------------

def make_client(args):
    url, token = settings(args.url, args.token, args.config)
    # Plain lists for output, NPY (pure-Python codec) on the wire.
    return Client(url, token, numpy=False)


# -- input --------------------------------------------------------------------

def parse_value(text):
    """key=value values: JSON when it parses (numbers, lists, true), else
    the string itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_pairs(pairs):
    out = {}
    for p in pairs or []:
        if "=" not in p:
            raise UsageError("expected key=value, got %r" % p)
        k, v = p.split("=", 1)
        out[k.strip()] = parse_value(v)
    return out


def read_matrix(source):
    """Points from a .npy, .csv or .json file, '-' for stdin (JSON or CSV),
    or an inline JSON list."""
    if source.lstrip().startswith("["):
        return json.loads(source)
    if source == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(source, "rb") as f:
            data = f.read()
    if data.startswith(npy.MAGIC):
        return npy.decode(data)
    text = data.decode("utf-8").strip()
    if text.startswith("[") or text.startswith("{"):
        obj = json.loads(text)
        if isinstance(obj, dict):
            for key in ("points", "samples", "scores", "logpdf"):
                if key in obj:
                    return obj[key]
            raise UsageError("JSON object without points/samples/scores")
        return obj
    rows = [r for r in csv.reader(io.StringIO(text)) if r]
    try:
        return [[float(v) for v in r] for r in rows]
    except ValueError:
        # A header line, as this tool's own CSV output has.
        return [[float(v) for v in r] for r in rows[1:]]


def read_json_file(path):
    if path == "-":
        return json.load(sys.stdin)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# -- output -------------------------------------------------------------------

def _is_matrix(data):
    return (isinstance(data, list) and data
            and all(isinstance(r, list) for r in data)
            and all(isinstance(v, (int, float)) for r in data for v in r))


def _is_vector(data):
    return (isinstance(data, list) and data
            and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                    for v in data))


def _cell(v):
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (dict, list)):
        return json.dumps(v, separators=(",", ":"))
    if v is None:
        return "-"
    return str(v)


def _summary(v, cap):
    """A table cell of at most about cap characters: nested members that
    do not fit say what they hold instead ("[20 items]", "{a, b, ...}")."""
    text = _cell(v)
    if len(text) <= cap:
        return text
    if isinstance(v, list):
        return "[%d items]" % len(v)
    if isinstance(v, dict):
        keys = "{" + ", ".join(str(k) for k in v) + "}"
        return keys if len(keys) <= cap else "{%d fields}" % len(v)
    return text[:max(1, cap - 3)] + "..."


def terminal_width():
    return shutil.get_terminal_size((100, 24)).columns


# Plain cells up to this wide (ids, times, names) are never cut: they are
# what one copies from a table.  Nested members give way first.
KEEP_WHOLE = 28


def _fit(widths, floors, avail):
    """Column widths whose sum fits avail where it can: the widest
    columns give way first, none below its floor."""
    def total(cap):
        return sum(max(f, min(w, cap)) for w, f in zip(widths, floors))
    if total(max(widths)) <= avail:
        return widths
    lo, hi = 1, max(widths)
    while lo < hi:  # the largest cap that fits
        mid = (lo + hi + 1) // 2
        if total(mid) <= avail:
            lo = mid
        else:
            hi = mid - 1
    return [max(f, min(w, lo)) for w, f in zip(widths, floors)]


def _floor(column, natural):
    nested = any(isinstance(v, (dict, list)) for v in column)
    return min(natural, 8 if nested else KEEP_WHOLE)


def _table(rows, header, width=None):
    """Aligned columns; with width, cells are summarised so that a line
    fits it (a matrix keeps its numbers whole)."""
    cells = [[_cell(v) for v in r] for r in rows]
    widths = [len(h) for h in header]
    for r in cells:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], len(c))
    if width is not None and widths:
        floors = [_floor([r[i] for r in rows], w)
                  for i, w in enumerate(widths)]
        widths = _fit(widths, floors, width - 2 * (len(header) - 1))
        cells = [[_summary(v, w) for v, w in zip(r, widths)] for r in rows]
        header = [h[:w] for h, w in zip(header, widths)]
        widths = [min(w, max([len(h)] + [len(r[i]) for r in cells]))
                  for i, (h, w) in enumerate(zip(header, widths))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    for r in cells:
        lines.append("  ".join(c.rjust(w) if _numeric(c) else c.ljust(w)
                               for c, w in zip(r, widths)).rstrip())
    return "\n".join(lines) + "\n"


def _numeric(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def _shape(data):
    """(header, rows) of a matrix, vector, list of dicts or dict."""
    if _is_matrix(data):
        return ["x%d" % i for i in range(len(data[0]))], data
    if _is_vector(data):
        return ["value"], [[v] for v in data]
    if isinstance(data, list) and all(isinstance(r, dict) for r in data):
        header = []
        for r in data:
            header += [k for k in r if k not in header]
        return header, [[r.get(k) for k in header] for r in data]
    if isinstance(data, dict):
        return ["field", "value"], [[k, v] for k, v in data.items()]
    return ["value"], [[data]]


def render(data, fmt, width=None):
    """Text or bytes of a result in the chosen format; tables fit width
    (default: the terminal's), matrices and vectors aside."""
    if fmt == "json":
        return json.dumps(data, indent=2) + "\n"
    if fmt == "npy":
        if not (_is_matrix(data) or _is_vector(data)):
            raise UsageError("--format npy needs a matrix or vector result")
        return npy.encode(data)
    header, rows = _shape(data)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([_cell(v) if not isinstance(v, float) else repr(v)
                        for v in r])
        return buf.getvalue()
    numbers = _is_matrix(data) or _is_vector(data)
    return _table(rows, header,
                  None if numbers else (width or terminal_width()))


def emit(args, data):
    out = render(data, args.format)
    if args.output and args.output != "-":
        mode = "wb" if isinstance(out, bytes) else "w"
        with open(args.output, mode) as f:
            f.write(out)
        return
    if isinstance(out, bytes):
        sys.stdout.buffer.write(out)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(out)


def note(args, text):
    if not args.quiet:
        print(text, file=sys.stderr)


# -- commands -----------------------------------------------------------------

def cmd_info(c, args):
    emit(args, c.info())


def cmd_register(c, args):
    out = c.register(args.name, role=args.role)
    if args.save:
        path = args.config or config_path()
        save_config(path, url=c.url, token=out["token"])
        note(args, "token saved to %s" % path)
    emit(args, out)


def cmd_me(c, args):
    emit(args, c.me())


def _budget_oracle(args):
    budget = parse_pairs(args.budget) or None
    oracle = {}
    if args.t_min is not None:
        oracle["t_min"] = args.t_min
    if args.noise is not None:
        oracle["noise"] = args.noise
    return budget, oracle or None


def cmd_create(c, args):
    budget, oracle = _budget_oracle(args)
    emit(args, c.create_instance(args.family, budget=budget, oracle=oracle,
                                 **parse_pairs(args.param)))


def cmd_show(c, args):
    emit(args, c.instance(args.id))


def cmd_sample(c, args):
    dim = c.instance(args.id)["dim"]
    chunk = args.chunk or max(1, CHUNK_DOUBLES // max(1, dim))
    rows, done = [], 0
    show = args.n > chunk and not args.quiet
    # One line redrawn on a terminal, one line per chunk in a log.
    lead, tail = ("\r", "") if sys.stderr.isatty() else ("", "\n")
    while done < args.n:
        k = min(chunk, args.n - done)
        rows += c.samples(args.id, k, t=args.t, npy_mode=True)
        done += k
        if show:
            sys.stderr.write("%ssamples %d/%d (%d%%)%s"
                             % (lead, done, args.n, 100 * done // args.n,
                                tail))
            sys.stderr.flush()
    if show and lead:
        sys.stderr.write("\n")
    emit(args, rows)


def cmd_score(c, args):
    emit(args, c.score(args.id, read_matrix(args.points), t=args.t,
                       npy_mode=True))


def cmd_logpdf(c, args):
    emit(args, c.logpdf(args.id, read_matrix(args.points), t=args.t,
                        npy_mode=True))


def cmd_reveal(c, args):
    inst = c.instance(args.id)
    out = c.reveal(args.id)
    verify.open_instance(args.id, out, inst["commitment"])
    note(args, "commitment %s opens" % inst["commitment"])
    emit(args, out)


def cmd_challenge_create(c, args):
    extra = {}
    if args.preset:
        extra["preset"] = args.preset
    instance = None
    if args.family:
        budget, oracle = _budget_oracle(args)
        instance = {"family": args.family}
        instance.update(parse_pairs(args.param))
        if budget:
            instance["budget"] = budget
        if oracle:
            instance["oracle"] = oracle
    if args.private:
        extra["public"] = False
    emit(args, c.create_challenge(args.kind, instance, rounds=args.rounds,
                                  **extra))


def cmd_challenge_list(c, args):
    out = c.challenges()
    if isinstance(out, dict) and "challenges" in out:
        out = out["challenges"]
    if args.format == "table" and isinstance(out, list):
        keep = ("id", "kind", "status", "created_at")
        out = [{k: ch.get(k) for k in keep if k in ch} for ch in out]
    emit(args, out)


def cmd_challenge_show(c, args):
    ch = c.challenge(args.id, eval=args.eval)
    if args.format != "table":
        emit(args, ch)
        return
    emit(args, {k: v for k, v in ch.items() if k != "rounds"})
    sys.stdout.write("\n")
    emit(args, [{"index": r["index"], "instance": r["instance"]["id"],
                 "answered": r["answered"]} for r in ch.get("rounds", [])])


def _answer_body(args):
    if args.json:
        return json.loads(args.json)
    if args.guess:
        return {"guess": args.guess}
    if args.seed:
        return {"seed": args.seed}
    for key in ("direction", "sample", "scores", "logpdf"):
        value = getattr(args, key)
        if value is not None:
            return {key: read_matrix(value)}
    raise UsageError("give one answer: --guess, --direction, --scores, "
                     "--logpdf, --sample, --seed, --json or --oracle")


def _oracle_answer(c, args):
    """A score or density round answered with the round instance's own
    oracle (spends its budget)."""
    ch = c.challenge(args.id)
    field = {"score": ("score", "scores"),
             "density": ("logpdf", "logpdf")}.get(ch["kind"])
    if field is None:
        raise UsageError("--oracle answers score and density rounds only")
    rnd = [r for r in ch["rounds"] if r["index"] == args.index]
    if not rnd:
        raise UsageError("challenge %s has no round %d"
                         % (args.id, args.index))
    return {field[1]: c.evaluate(rnd[0]["instance"]["id"],
                                 c.round_eval(args.id, args.index),
                                 field[0])}


def cmd_challenge_answer(c, args):
    body = _oracle_answer(c, args) if args.oracle else _answer_body(args)
    out = c.answer(args.id, args.index, body)
    emit(args, out if out is not None else {"answered": True})


def cmd_challenge_finish(c, args):
    ch = c.challenge(args.id)
    out = c.finish(args.id)
    if not args.no_verify:
        verify.open_challenge(ch, out)
        note(args, "challenge commitment %s opens" % ch["commitment"])
        if out.get("receipt"):
            verify.verify_receipt(out["receipt"], c.info()["receipt_key"])
            note(args, "receipt signature verifies")
    emit(args, out if args.format == "json" else out.get("result", out))


def cmd_leaderboard(c, args):
    out = c.leaderboard(args.kind)
    if isinstance(out, dict):
        for key in ("entries", "rows", "leaderboard"):
            if key in out:
                out = out[key]
                break
    emit(args, out)


def cmd_class_create(c, args):
    emit(args, c.create_class(args.name))


def cmd_class_list(c, args):
    emit(args, c.classes()["classes"])


def cmd_class_show(c, args):
    out = c.class_info(args.id)
    if args.format != "table":
        emit(args, out)
        return
    emit(args, {k: v for k, v in out.items()
                if k not in ("students", "assignments")})
    for key, keep in (("students", ("id", "name")),
                      ("assignments", ("id", "title", "deadline",
                                       "created_at"))):
        sys.stdout.write("\n%s:\n" % key)
        emit(args, [{k: x.get(k) for k in keep} for x in out[key]])


def cmd_class_code(c, args):
    if args.rotate:
        emit(args, c.rotate_join_code(args.id))
    else:
        out = c.class_info(args.id)
        emit(args, {"id": out["id"], "join_code": out["join_code"]})


def cmd_class_join(c, args):
    if args.name is None and not c.token:
        raise UsageError("give --name to join as a new player, or a token "
                         "(--token, $SCORACLE_TOKEN, register --save) to "
                         "join as yourself")
    out = c.join_class(args.code, args.name)
    if args.save and out.get("token"):
        path = args.config or config_path()
        save_config(path, url=c.url, token=out["token"])
        note(args, "token saved to %s" % path)
    emit(args, out)


def cmd_class_assign(c, args):
    tpl = {"kind": args.kind}
    if args.preset:
        tpl["preset"] = args.preset
    if args.family:
        budget, oracle = _budget_oracle(args)
        tpl["instance"] = dict({"family": args.family},
                               **parse_pairs(args.param))
        if budget:
            tpl["instance"]["budget"] = budget
        if oracle:
            tpl["instance"]["oracle"] = oracle
    if args.rounds is not None:
        tpl["rounds"] = args.rounds
    out = c.create_assignment(args.id, tpl, title=args.title,
                              deadline=args.deadline)
    if args.format == "table":
        out = {k: v for k, v in out.items() if k != "template"}
    emit(args, out)


def cmd_class_results(c, args):
    if args.format == "csv":
        text = c.class_results(args.id, csv=True)
        if args.output and args.output != "-":
            with open(args.output, "w") as f:
                f.write(text)
        else:
            sys.stdout.write(text)
        return
    out = c.class_results(args.id)
    if args.format == "table":
        out = [{"player": r["player_name"], "assignment": r["assignment"],
                "status": r["status"],
                "answered": "%d/%d" % (r["progress"]["answered"],
                                       r["progress"]["rounds"]),
                "result": _headline(r["result"])}
               for r in out["results"]]
    emit(args, out)


def _headline(result):
    """The one number a result is ranked by, for a table cell."""
    if not result:
        return None
    for key in ("accuracy", "mean_abs_cos", "error_ratio", "pac_fraction",
                "success_rate"):
        if key in result:
            return "%s %.4g" % (key, result[key])
    return None


def cmd_verify_commitment(c, args):
    doc = read_json_file(args.file)
    reveal = doc.get("reveal", doc)
    inst_id = args.id or doc.get("id") or reveal.get("id")
    if not inst_id:
        raise UsageError("the instance id is needed: --id ID")
    secret = verify.open_instance(inst_id, reveal,
                                  args.commitment or doc.get("commitment"))
    note(args, "commitment opens")
    emit(args, {"id": inst_id, "verified": True, "secret": secret})


def cmd_verify_challenge(c, args):
    coins = verify.open_challenge(read_json_file(args.challenge),
                                  read_json_file(args.finish))
    note(args, "challenge commitment opens")
    emit(args, {"verified": True, "planted": coins})


def cmd_verify_receipt(c, args):
    doc = read_json_file(args.file)
    receipt = doc.get("receipt", doc)
    key = args.key or c.info()["receipt_key"]
    payload = verify.verify_receipt(receipt, key)
    note(args, "receipt signature verifies")
    emit(args, payload)


def cmd_verify_f(c, args):
    bits = verify.owf_f(args.f_key, args.seed, args.seed_bits,
                        args.image_bits)
    emit(args, {"f": "".join(str(b) for b in bits)})


# -- parser -------------------------------------------------------------------

def _add_instance_opts(p):
    p.add_argument("-p", "--param", action="append", metavar="KEY=VALUE",
                   help="a family parameter, e.g. -p dim=2 -p gamma=6")
    p.add_argument("--budget", action="append", metavar="METER=N",
                   help="budget in points, e.g. --budget samples=1000")
    p.add_argument("--noise", type=float, help="oracle RMS score noise")
    p.add_argument("--t-min", type=float, help="smallest t the oracle answers")


def _add_global_opts(p):
    p.add_argument("--url", help="server URL (env SCORACLE_URL)")
    p.add_argument("--token", help="bearer token (env SCORACLE_TOKEN)")
    p.add_argument("--config", help="config file (env SCORACLE_CONFIG)")
    p.add_argument("-f", "--format", choices=("table", "json", "csv", "npy"),
                   help="output format (default: table)")
    p.add_argument("-o", "--output", help="write the result to FILE")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress or notes on stderr")


def build_parser():
    ap = argparse.ArgumentParser(
        prog="scoracle", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_global_opts(ap)
    ap.set_defaults(format="table")
    # The global options also work after the command: subcommands take
    # them without defaults of their own (separate action objects, so the
    # top-level defaults stay).
    common = argparse.ArgumentParser(add_help=False,
                                     argument_default=argparse.SUPPRESS)
    _add_global_opts(common)
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def cmd(name, func, helptext, parent=sub):
        p = parent.add_parser(name, help=helptext, description=helptext,
                              parents=[common])
        p.set_defaults(func=func)
        return p

    cmd("info", cmd_info, "server version, families, kinds, limits")
    p = cmd("register", cmd_register, "create a player and show its token")
    p.add_argument("name")
    p.add_argument("--role", help="instructor (needs an admin/instructor "
                   "token)")
    p.add_argument("--save", action="store_true",
                   help="store url and token in the config file")
    cmd("me", cmd_me, "who the token belongs to")
    p = cmd("create", cmd_create, "create an instance of a family")
    p.add_argument("family")
    _add_instance_opts(p)
    p = cmd("show", cmd_show, "show an instance")
    p.add_argument("id")
    p = cmd("sample", cmd_sample, "draw samples (progress on stderr)")
    p.add_argument("id")
    p.add_argument("-n", type=int, required=True, help="number of points")
    p.add_argument("-t", type=float, default=0.0, help="OU time")
    p.add_argument("--chunk", type=int, help="points per request")
    for name, func, what in (("score", cmd_score, "scores"),
                             ("logpdf", cmd_logpdf, "log-densities")):
        p = cmd(name, func, "%s at points from FILE (.npy, .csv, .json, "
                "- for stdin, or an inline JSON list)" % what)
        p.add_argument("id")
        p.add_argument("points")
        p.add_argument("-t", type=float, default=0.0, help="OU time")
    p = cmd("reveal", cmd_reveal, "reveal an instance's secret and check "
            "its commitment")
    p.add_argument("id")

    ch = cmd("challenge", None, "play challenges").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    p = cmd("create", cmd_challenge_create, "start a challenge", ch)
    p.add_argument("kind", choices=("distinguish", "recover", "score",
                                    "density", "posterior"))
    p.add_argument("--family", help="family of the round instances")
    p.add_argument("--preset", help="a named parameter set of /v1/info")
    p.add_argument("--rounds", type=int,
                   help="default: the preset's count, else 20")
    p.add_argument("--private", action="store_true",
                   help="keep it off the public leaderboard")
    _add_instance_opts(p)
    cmd("list", cmd_challenge_list, "your challenges", ch)
    p = cmd("show", cmd_challenge_show, "a challenge and its rounds", ch)
    p.add_argument("id")
    p.add_argument("--eval", action="store_true",
                   help="with every round's eval points (-f json)")
    p = cmd("answer", cmd_challenge_answer, "answer one round", ch)
    p.add_argument("id")
    p.add_argument("index", type=int)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--guess", choices=("planted", "null"))
    g.add_argument("--direction", help="vector (inline JSON or file)")
    g.add_argument("--scores", help="matrix (file or inline JSON)")
    g.add_argument("--logpdf", help="vector (file or inline JSON)")
    g.add_argument("--sample", help="vector (file or inline JSON)")
    g.add_argument("--seed", help="seed as hex")
    g.add_argument("--json", help="the whole answer as JSON")
    g.add_argument("--oracle", action="store_true",
                   help="score/density rounds: answer with the round "
                   "instance's own oracle")
    p = cmd("finish", cmd_challenge_finish, "finish, then check the "
            "commitments and the receipt", ch)
    p.add_argument("id")
    p.add_argument("--no-verify", action="store_true")

    cl = cmd("class", None, "classes (instructors; join: students)"
             ).add_subparsers(dest="action", required=True, metavar="ACTION")
    p = cmd("create", cmd_class_create, "create a class", cl)
    p.add_argument("name")
    cmd("list", cmd_class_list, "your classes with their join codes", cl)
    p = cmd("show", cmd_class_show, "a class, its students and "
            "assignments", cl)
    p.add_argument("id")
    p = cmd("code", cmd_class_code, "show the join code again", cl)
    p.add_argument("id")
    p.add_argument("--rotate", action="store_true",
                   help="replace it (the old code stops working)")
    p = cmd("join", cmd_class_join, "join with a code: --name as a new "
            "player, else as yourself", cl)
    p.add_argument("code")
    p.add_argument("--name", help="a new player's name")
    p.add_argument("--save", action="store_true",
                   help="store url and the new token in the config file")
    p = cmd("assign", cmd_class_assign, "give every student a challenge",
            cl)
    p.add_argument("id")
    p.add_argument("kind", choices=("distinguish", "recover", "score",
                                    "density", "posterior"))
    p.add_argument("--preset", help="a named parameter set of /v1/info")
    p.add_argument("--family", help="family of the round instances")
    p.add_argument("--rounds", type=int)
    p.add_argument("--title")
    p.add_argument("--deadline", help="RFC 3339, e.g. 2027-01-31T23:59:00Z")
    _add_instance_opts(p)
    p = cmd("results", cmd_class_results, "every student's progress and "
            "results (-f csv: the server's CSV)", cl)
    p.add_argument("id")

    p = cmd("leaderboard", cmd_leaderboard, "ranked finished challenges")
    p.add_argument("--kind")

    vf = cmd("verify", None, "offline checks").add_subparsers(
        dest="what", required=True, metavar="WHAT")
    p = cmd("commitment", cmd_verify_commitment, "open an instance "
            "commitment from a reveal JSON file", vf)
    p.add_argument("file")
    p.add_argument("--id", help="instance id (if the file lacks it)")
    p.add_argument("--commitment", help="the published commitment")
    p = cmd("challenge", cmd_verify_challenge, "open a challenge commitment "
            "from the challenge JSON and the finish JSON", vf)
    p.add_argument("challenge")
    p.add_argument("finish")
    p = cmd("receipt", cmd_verify_receipt, "check a receipt's signature",
            vf)
    p.add_argument("file")
    p.add_argument("--key", help="receipt_key (base64); default: ask the "
                   "server's /v1/info")
    p = cmd("f", cmd_verify_f, "compute the owf f of a seed", vf)
    p.add_argument("f_key")
    p.add_argument("seed", help="packed seed as hex")
    p.add_argument("--seed-bits", type=int, required=True)
    p.add_argument("--image-bits", type=int, required=True)
    return ap


# Options whose values may begin with '-' (a base64url token does one time
# in 64): argparse would read "--token -x..." as a missing value.
_FREE_VALUES = ("--token",)


def _glue_values(argv):
    """["--token", "-x"] -> ["--token=-x"], so any value parses."""
    out, i = [], 0
    while i < len(argv):
        if argv[i] in _FREE_VALUES and i + 1 < len(argv):
            out.append("%s=%s" % (argv[i], argv[i + 1]))
            i += 2
        else:
            out.append(argv[i])
            i += 1
    return out


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(_glue_values(list(argv)))
    try:
        args.func(make_client(args), args)
    except ScoracleError as exc:
        print("scoracle: %s: %s" % (type(exc).__name__, exc),
              file=sys.stderr)
        extra = getattr(exc, "field_errors", None) or getattr(
            exc, "remaining", None)
        if extra:
            print("  %s" % json.dumps(extra), file=sys.stderr)
        return 1
    except (UsageError, ValueError, OSError) as exc:
        print("scoracle: %s" % exc, file=sys.stderr)
        return 2
    return 0
