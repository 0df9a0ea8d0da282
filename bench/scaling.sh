#!/usr/bin/env bash
# Thread scaling (issue 13): one-point JSON score queries per second on a
# pancakes d = 32 instance without budget, keep-alive, 64 connections,
# with the server's HTTP pool at 1, 2, 4, 8 and 16 threads -- beside a
# bare libmicrohttpd server (bench/bare_mhd.c) at the same counts, in the
# same run.  Efficiency: req/s over (req/s at 1 thread x min(N, cores)),
# the share of linear scaling kept.  On a machine with fewer cores than
# threads the pool is oversubscribed: what shared state costs then shows
# as a fall below the bare server's curve.
# Prints figures; never fails on a number.
# Usage: bench/scaling.sh [BUILD]  (SECONDS_PER_RUN, COUNTS change it)
set -euo pipefail
build=${1:-build}
py=/usr/bin/python3
secs=${SECONDS_PER_RUN:-3}
counts=${COUNTS:-1 2 4 8 16}
cores=$(nproc)
bin="$PWD/$build/scoracled"
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "scaling.sh: wrk is not installed"; exit 0; }

free_port() {
  $py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_server() { # threads -> url in $tmp/url
  "$bin" --listen 127.0.0.1:0 --state "$tmp/state" --threads "$1" \
    --log "$tmp/access.log" >"$tmp/out" 2>"$tmp/err" &
  server=$!
  until grep -q "listening on" "$tmp/out" 2>/dev/null; do sleep 0.05; done
  sed -n 's/.*listening on //p' "$tmp/out" >"$tmp/url"
}

# One server to create the player and the instance (the state persists).
start_server 2
url=$(cat "$tmp/url")
$py - "$url" "$tmp" <<'PY'
import json, sys, urllib.request
import numpy as np
url, tmp = sys.argv[1], sys.argv[2]
def post(path, body, token=None):
    h = {"Content-Type": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    req = urllib.request.Request(url + path, json.dumps(body).encode(), h)
    return json.load(urllib.request.urlopen(req))
tok = post("/v1/players", {"name": "bench"})["token"]
inst = post("/v1/instances", {"family": "pancakes", "dim": 32, "gamma": 4.0,
                              "sigma": 0.05}, tok)["id"]
point = np.random.default_rng(1).normal(size=(1, 32)).tolist()
body = json.dumps({"t": 0.1, "points": point})
with open(tmp + "/score.lua", "w") as f:
    f.write('wrk.method = "POST"\n'
            'wrk.path = "/v1/instances/%s/score"\n'
            'wrk.body = %s\n'
            'wrk.headers["Content-Type"] = "application/json"\n'
            'wrk.headers["Authorization"] = "Bearer %s"\n'
            % (inst, json.dumps(body), tok))
PY
kill "$server"; wait "$server" 2>/dev/null || true

cc -O2 -o "$tmp/bare_mhd" bench/bare_mhd.c -lmicrohttpd -pthread

rps() { # url -> requests/s of one run
  wrk -t2 -c64 -d"${secs}s" -s "$tmp/score.lua" "$1" >"$tmp/wrk.out"
  if grep -q "Non-2xx" "$tmp/wrk.out"; then
    echo "scaling.sh: errors: $(grep Non-2xx "$tmp/wrk.out")" >&2
  fi
  awk '/Requests\/sec/ {print $2}' "$tmp/wrk.out"
}

echo "one-point JSON score, pancakes d=32, no budget, 64 connections," \
     "${secs}s runs, $cores cores"
printf '  %7s  %12s %6s  %12s %6s  %8s\n' threads "bare req/s" eff \
  "scoracled" eff "of bare"
bare1=0 sc1=0
for n in $counts; do
  port=$(free_port)
  "$tmp/bare_mhd" "$port" "$n" &
  bare_pid=$!
  sleep 0.3
  bare=$(rps "http://127.0.0.1:$port")
  kill "$bare_pid"; wait "$bare_pid" 2>/dev/null || true
  start_server "$n"
  sc=$(rps "$(cat "$tmp/url")")
  kill "$server"; wait "$server" 2>/dev/null || true
  [ "$bare1" = 0 ] && bare1=$bare && sc1=$sc
  lin=$(( n < cores ? n : cores ))
  printf '  %7d  %12.0f %5.0f%%  %12.0f %5.0f%%  %7.1f%%\n' "$n" "$bare" \
    "$(echo "100 * $bare / ($bare1 * $lin)" | bc -l)" "$sc" \
    "$(echo "100 * $sc / ($sc1 * $lin)" | bc -l)" \
    "$(echo "100 * $sc / $bare" | bc -l)"
done
