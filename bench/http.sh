#!/usr/bin/env bash
# HTTP figures (issues 3 and 13): wrk one-point score queries on a
# pancakes d = 32 instance, keep-alive, 32 connections -- without budget,
# with a budget spent durably on every answer, and against a bare
# libmicrohttpd server built here (bench/bare_mhd.c) -- then the
# end-to-end time of a 4096 x 256 NPY score batch next to the in-process
# core time and to a bare libmicrohttpd echo of the same bytes.
# Prints figures and ratios; never fails on a number.
# Usage: bench/http.sh [BUILD]  (SECONDS_PER_RUN, ROUNDS, THREADS change it)
set -euo pipefail
build=${1:-build}
py=/usr/bin/python3
secs=${SECONDS_PER_RUN:-4}
# The server runs with its default thread pool unless THREADS is set; the
# bare server always with one thread per core, its best setting here.
threads=${THREADS:-}
bare_threads=$(nproc)
bin="$PWD/$build/scoracled"
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "http.sh: wrk is not installed"; exit 0; }

free_port() {
  $py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The server, its state and its log in a temporary folder.
"$bin" --listen 127.0.0.1:0 --state "$tmp/state" ${threads:+--threads "$threads"} \
  --log "$tmp/access.log" >"$tmp/out" 2>"$tmp/err" &
pids+=($!)
until grep -q "listening on" "$tmp/out" 2>/dev/null; do sleep 0.05; done
url=$(sed -n 's/.*listening on //p' "$tmp/out")

# A player, two instances, the request bodies.
$py - "$url" "$tmp" <<'PY'
import io, json, sys, urllib.request
import numpy as np
url, tmp = sys.argv[1], sys.argv[2]
def post(path, body, token=None):
    h = {"Content-Type": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    req = urllib.request.Request(url + path, json.dumps(body).encode(), h)
    return json.load(urllib.request.urlopen(req))
tok = post("/v1/players", {"name": "bench"})["token"]
spec = {"family": "pancakes", "dim": 32, "gamma": 4.0, "sigma": 0.05}
free = post("/v1/instances", spec, tok)["id"]
budgeted = post("/v1/instances", dict(spec, budget={"score": 4000000000}),
                tok)["id"]
big = post("/v1/instances", {"family": "pancakes", "dim": 256, "gamma": 8.0,
                             "sigma": 0.05}, tok)["id"]
point = np.random.default_rng(1).normal(size=(1, 32)).tolist()
body = json.dumps({"t": 0.1, "points": point})
for name, inst in (("free", free), ("budget", budgeted)):
    with open("%s/%s.lua" % (tmp, name), "w") as f:
        f.write('wrk.method = "POST"\n'
                'wrk.path = "/v1/instances/%s/score"\n'
                'wrk.body = %s\n'
                'wrk.headers["Content-Type"] = "application/json"\n'
                'wrk.headers["Authorization"] = "Bearer %s"\n'
                % (inst, json.dumps(body), tok))
# The same point as NPY both ways: what the HTTP layer costs without
# JSON's number conversions.
one = io.BytesIO()
np.save(one, np.asarray(point))
lua_bytes = "".join("\\%d" % b for b in one.getvalue())
with open(tmp + "/npy.lua", "w") as f:
    f.write('wrk.method = "POST"\n'
            'wrk.path = "/v1/instances/%s/score?t=0.1"\n'
            'wrk.body = "%s"\n'
            'wrk.headers["Content-Type"] = "application/x-npy"\n'
            'wrk.headers["Accept"] = "application/x-npy"\n'
            'wrk.headers["Authorization"] = "Bearer %s"\n'
            % (free, lua_bytes, tok))
buf = io.BytesIO()
np.save(buf, np.random.default_rng(2).normal(size=(4096, 256)))
open(tmp + "/batch.npy", "wb").write(buf.getvalue())
open(tmp + "/big", "w").write(big + "\n" + tok + "\n")
PY

# The bare server, one thread per core.
cc -O2 -o "$tmp/bare_mhd" bench/bare_mhd.c -lmicrohttpd -pthread
bare_port=$(free_port)
"$tmp/bare_mhd" "$bare_port" "$bare_threads" &
pids+=($!)
sleep 0.3

rps() { # lua url -> requests/s of one run
  wrk -t2 -c32 -d"${secs}s" -s "$1" "$2" >"$tmp/wrk.out"
  if grep -q "Non-2xx" "$tmp/wrk.out"; then
    echo "http.sh: errors in $1: $(grep Non-2xx "$tmp/wrk.out")" >&2
  fi
  awk '/Requests\/sec/ {print $2}' "$tmp/wrk.out"
}
# Rounds of the four runs, interleaved, and the best of each: on a shared
# machine the best run is the one least disturbed by other load.
rounds=${ROUNDS:-3}
echo "one-point score, pancakes d=32, keep-alive, 32 connections, ${secs}s runs, best of $rounds, scoracled ${threads:-default} / bare $bare_threads HTTP threads"
bare=0 free=0 budget=0 npy=0
best() { echo "$1 $2" | awk '{print ($1 > $2) ? $1 : $2}'; }
for _ in $(seq "$rounds"); do
  bare=$(best "$bare" "$(rps "$tmp/free.lua" "http://127.0.0.1:$bare_port")")
  free=$(best "$free" "$(rps "$tmp/free.lua" "$url")")
  budget=$(best "$budget" "$(rps "$tmp/budget.lua" "$url")")
  npy=$(best "$npy" "$(rps "$tmp/npy.lua" "$url")")
done
printf '  bare libmicrohttpd      %10.0f req/s\n' "$bare"
printf '  scoracled, no budget    %10.0f req/s  %5.1f%% of bare (target 60%%)\n' \
  "$free" "$(echo "100 * $free / $bare" | bc -l)"
printf '  scoracled, budget       %10.0f req/s  %5.1f%% of bare (target 35%%)\n' \
  "$budget" "$(echo "100 * $budget / $bare" | bc -l)"
printf '  scoracled, NPY, no budget %8.0f req/s  %5.1f%% of bare (target 85%%)\n' \
  "$npy" "$(echo "100 * $npy / $bare" | bc -l)"

# The 4096 x 256 NPY batch, end to end with curl, median of 15 each,
# interleaved with the same bytes echoed by a bare libmicrohttpd server
# (bench/bare_mhd.c echo: the body read into one buffer and answered from
# it): what moving 8 MB each way costs at best.
{ read -r big; read -r tok; } <"$tmp/big"
echo_port=$(free_port)
"$tmp/bare_mhd" "$echo_port" "$bare_threads" echo &
pids+=($!)
sleep 0.3
post_ms() { # url -> ms of one POST of the batch
  curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $tok" \
    -H 'Content-Type: application/x-npy' -H 'Accept: application/x-npy' \
    --data-binary @"$tmp/batch.npy" "$1" | awk '{print $1 * 1000}'
}
e2e=() echo_ms=()
for _ in $(seq 15); do
  e2e+=("$(post_ms "$url/v1/instances/$big/score?t=0.01")")
  echo_ms+=("$(post_ms "http://127.0.0.1:$echo_port/")")
done
median() { printf '%s\n' "$@" | sort -g | sed -n 8p; }
e2e_ms=$(median "${e2e[@]}")
bare_echo_ms=$(median "${echo_ms[@]}")
core_ms=$("$build/bench/bench_score_batch" | awk '{print $(NF-4)}')
echo "4096 x 256 NPY score batch, pancakes d=256"
printf '  end to end (curl)       %10.2f ms\n' "$e2e_ms"
printf '  bare libmicrohttpd echo %10.2f ms  scoracled %.2f x of it (target within 3x)\n' \
  "$bare_echo_ms" "$(echo "$e2e_ms / $bare_echo_ms" | bc -l)"
printf '  in-process core         %10.2f ms  scoracled %.1f x of it\n' \
  "$core_ms" "$(echo "$e2e_ms / $core_ms" | bc -l)"
