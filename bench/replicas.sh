#!/usr/bin/env bash
# Scale-out figures (issue 10): one-point score queries per second on a
# pancakes d = 32 instance -- with a budget (each answer one durable
# spend: a conditional UPDATE committed before the answer) and without
# (unlimited meters, counted in memory) -- on SQLite, on PostgreSQL with
# one replica, and with two replicas sharing the database, and the ratio
# two / one.  PostgreSQL is a private cluster (scripts/pgcluster.sh).
# wrk runs here too: on a 2-core machine the load generator, the
# replicas and PostgreSQL share the same two cores, which bounds the
# ratio (the issue's goal of 1.6 needs cores for each replica).  The
# budgeted runs spend one instance's budget: one hot row, whose lock
# each spend holds until its commit is flushed, so there PostgreSQL
# does one WAL flush per spend whatever the replicas (SQLite's group
# commit makes one sync per batch of spends in its one process); "32
# rows" spreads them over 32 instances, as many players do, and there
# PostgreSQL's commits share WAL flushes.
# Prints figures; never fails on a number.
# Usage: bench/replicas.sh [BUILD]  (SECONDS_PER_RUN, ROUNDS change it)
set -euo pipefail
build=${1:-build}
py=/usr/bin/python3
secs=${SECONDS_PER_RUN:-4}
bin="$PWD/$build/scoracled"
tmp=$(mktemp -d)
chmod 711 "$tmp" # the cluster may run as the postgres user
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/pgcluster.sh stop "$tmp/pg" || true
  rm -rf "$tmp"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "replicas.sh: wrk is not installed"; exit 0; }
pg=$(scripts/pgcluster.sh start "$tmp/pg") || {
  echo "replicas.sh: no PostgreSQL cluster"; exit 0; }
head -c 32 /dev/urandom >"$tmp/master.key"
chmod 600 "$tmp/master.key"
export SCORACLE_ADMIN_TOKEN="bench-admin-token-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"

# start NAME [scoracled options]: a server in the background; its URL
# in $tmp/NAME.url.
start() {
  local name=$1; shift
  "$bin" --listen 127.0.0.1:0 --state "$tmp/$name" --log /dev/null \
    --master-key "$tmp/master.key" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pids+=($!)
  until grep -q "listening on" "$tmp/$name.out" 2>/dev/null; do
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$tmp/$name.err"; exit 1; }
    sleep 0.05
  done
  sed -n 's/.*listening on //p' "$tmp/$name.out" >"$tmp/$name.url"
}

# setup URL PREFIX: a player and two instances there; wrk scripts
# $tmp/PREFIX-free.lua and $tmp/PREFIX-budget.lua.
setup() {
  $py - "$1" "$tmp/$2" <<'PY'
import json, sys, urllib.request
import numpy as np
url, prefix = sys.argv[1], sys.argv[2]
def post(path, body, token=None):
    h = {"Content-Type": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    req = urllib.request.Request(url + path, json.dumps(body).encode(), h)
    return json.load(urllib.request.urlopen(req))
tok = post("/v1/players", {"name": "bench"})["token"]
spec = {"family": "pancakes", "dim": 32, "gamma": 4.0, "sigma": 0.05}
budgeted = dict(spec, budget={"score": 4000000000})
ids = {"free": [post("/v1/instances", spec, tok)["id"]],
       "budget": [post("/v1/instances", budgeted, tok)["id"]],
       "budget32": [post("/v1/instances", budgeted, tok)["id"]
                    for _ in range(32)]}
point = np.random.default_rng(1).normal(size=(1, 32)).tolist()
body = json.dumps({"t": 0.1, "points": point})
for name, insts in ids.items():
    paths = ", ".join('"/v1/instances/%s/score"' % i for i in insts)
    with open("%s-%s.lua" % (prefix, name), "w") as f:
        f.write('wrk.method = "POST"\n'
                'wrk.body = %s\n'
                'wrk.headers["Content-Type"] = "application/json"\n'
                'wrk.headers["Authorization"] = "Bearer %s"\n'
                'local paths = {%s}\n'
                'local i = 0\n'
                'request = function()\n'
                '  i = i %% #paths + 1\n'
                '  return wrk.format(nil, paths[i])\n'
                'end\n'
                % (json.dumps(body), tok, paths))
PY
}

# rps LUA URL... : requests/s summed over one wrk per URL, run together
# (32 connections and two wrk threads in all).
rps() {
  local lua=$1; shift
  local n=$# i=0 u
  for u in "$@"; do
    wrk -t$((n > 1 ? 1 : 2)) -c$((32 / n)) -d"${secs}s" -s "$lua" "$u" \
      >"$tmp/wrk.$i" &
    i=$((i + 1))
  done
  wait # the wrk runs: the only jobs of this subshell
  cat "$tmp"/wrk.* | awk '/Non-2xx/ {print "replicas.sh: " $0 > "/dev/stderr"}
                          /Requests\/sec/ {s += $2} END {print s}'
  rm -f "$tmp"/wrk.*
}

start sqlite
setup "$(cat "$tmp/sqlite.url")" sqlite
start pg1 --store "$pg"
start pg2 --store "$pg"
setup "$(cat "$tmp/pg1.url")" pg
u1=$(cat "$tmp/pg1.url") u2=$(cat "$tmp/pg2.url")

# Warm-up: every server opens its connections and prepares its
# statements before anything is measured.
secs_run=$secs secs=1
for u in "$(cat "$tmp/sqlite.url")" "$u1" "$u2"; do
  p=pg; [ "$u" = "$(cat "$tmp/sqlite.url")" ] && p=sqlite
  (rps "$tmp/$p-budget.lua" "$u") >/dev/null # a subshell: rps waits
done
secs=$secs_run
best() { echo "$1 $2" | awk '{print ($1 > $2) ? $1 : $2}'; }

rounds=${ROUNDS:-2}
echo "one-point score, pancakes d=32, keep-alive, 32 connections, ${secs}s" \
  "runs, best of $rounds, $(nproc) cores shared by wrk, the servers and" \
  "PostgreSQL"
for kind in budget budget32 free; do
  s=0 one=0 two=0
  for _ in $(seq "$rounds"); do
    s=$(best "$s" "$(rps "$tmp/sqlite-$kind.lua" "$(cat "$tmp/sqlite.url")")")
    one=$(best "$one" "$(rps "$tmp/pg-$kind.lua" "$u1")")
    two=$(best "$two" "$(rps "$tmp/pg-$kind.lua" "$u1" "$u2")")
  done
  case $kind in
    budget) label="spends, 1 row" ;;
    budget32) label="spends, 32 rows" ;;
    *) label="no budget" ;;
  esac
  printf '  %-15s SQLite %8.0f/s  PostgreSQL 1 replica %8.0f/s' \
    "$label" "$s" "$one"
  printf '  2 replicas %8.0f/s  ratio 2/1 %.2f\n' "$two" \
    "$(echo "$two / $one" | bc -l)"
done
echo "  (goal: ratio >= 1.6 with cores for each replica; here the two"
echo "   replicas, PostgreSQL and wrk compete for $(nproc) cores)"
