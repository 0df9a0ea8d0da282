#!/usr/bin/env bash
# Thread scaling (issue 13): one-point JSON score queries per second on a
# pancakes d = 32 instance without budget, keep-alive, 64 connections,
# with the server's HTTP pool at 1, 2, 4, 8 and 16 threads -- beside a
# bare libmicrohttpd server (bench/bare_mhd.c) at the same counts, in the
# same run.  Efficiency: req/s over (req/s at 1 thread x min(N, cores)),
# the share of linear scaling kept.  On a machine with fewer cores than
# threads the pool is oversubscribed: what shared state costs then shows
# as a fall below the bare server's curve.  Where perf can count
# syscalls (root), a contention profile beside it: futex calls per
# request (glibc takes an uncontended mutex without one, so each is a
# thread that waited or woke a waiter) and context switches per
# request.  CPU microseconds per request (utime + stime from /proc) say
# the same as req/s where other load on the machine blurs req/s.
# Prints figures; never fails on a number.
# Best of ROUNDS runs each, bare and scoracled interleaved: on a shared
# machine the best run is the one least disturbed by other load.
# Usage: bench/scaling.sh [BUILD]  (SECONDS_PER_RUN, COUNTS, ROUNDS)
set -euo pipefail
build=${1:-build}
py=/usr/bin/python3
secs=${SECONDS_PER_RUN:-3}
counts=${COUNTS:-1 2 4 8 16}
rounds=${ROUNDS:-2}
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

cpu_ticks() { # pid -> utime + stime in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}
rps() { # url pid -> requests/s of one run; pid's CPU time in $tmp/cpu
  local stat=() t0
  t0=$(cpu_ticks "$2")
  if [ "$can_count" = 1 ]; then
    perf stat -x, -e syscalls:sys_enter_futex,context-switches -p "$2" \
      -o "$tmp/stat.out" -- sleep "$secs" 2>/dev/null &
    stat=($!)
  fi
  wrk -t2 -c64 -d"${secs}s" -s "$tmp/score.lua" "$1" >"$tmp/wrk.out"
  [ ${#stat[@]} -eq 0 ] || wait "${stat[0]}" || true
  echo $(( $(cpu_ticks "$2") - t0 )) >"$tmp/cpu"
  if grep -q "Non-2xx" "$tmp/wrk.out"; then
    echo "scaling.sh: errors: $(grep Non-2xx "$tmp/wrk.out")" >&2
  fi
  awk '/Requests\/sec/ {print $2}' "$tmp/wrk.out"
}
cpu_us() { # req/s -> CPU microseconds per request of the last run
  echo "$(cat "$tmp/cpu") * 1000000 / $(getconf CLK_TCK) / ($1 * $secs)" |
    bc -l | awk '{printf "%.1f", $1}'
}
per_request() { # event req/s -> count per request, or - when not counted
  local n
  n=$(awk -F, -v e="$1" '$3 == e {print $1}' "$tmp/stat.out" 2>/dev/null)
  case "$n" in ''|*[!0-9]*) echo "-"; return ;; esac
  echo "$n / ($2 * $secs)" | bc -l | awk '{printf "%.3f", $1}'
}
can_count=0
perf stat -e syscalls:sys_enter_futex -- true >/dev/null 2>&1 && can_count=1

echo "one-point JSON score, pancakes d=32, no budget, 64 connections," \
     "${secs}s runs, best of $rounds, $cores cores"
printf '  %7s  %10s %5s %7s  %10s %5s %7s  %7s  %9s %7s\n' threads \
  "bare req/s" eff "cpu us" scoracled eff "cpu us" "of bare" "futex/req" \
  "cs/req"
best() { echo "$1 $2" | awk '{print ($1 > $2) ? $1 : $2}'; }
bare1=0 sc1=0
for n in $counts; do
  port=$(free_port)
  "$tmp/bare_mhd" "$port" "$n" &
  bare_pid=$!
  start_server "$n"
  sleep 0.3
  bare=0 sc=0
  for _ in $(seq "$rounds"); do
    one=$(rps "http://127.0.0.1:$port" "$bare_pid")
    if [ "$(best "$bare" "$one")" = "$one" ]; then
      bare=$one
      bare_cpu=$(cpu_us "$one")
    fi
    rm -f "$tmp/stat.out"
    one=$(rps "$(cat "$tmp/url")" "$server")
    # The CPU and contention figures of the best scoracled run.
    if [ "$(best "$sc" "$one")" = "$one" ]; then
      sc=$one
      sc_cpu=$(cpu_us "$one")
      cp "$tmp/stat.out" "$tmp/best.stat" 2>/dev/null || true
    fi
  done
  mv "$tmp/best.stat" "$tmp/stat.out" 2>/dev/null || true
  kill "$bare_pid" "$server"; wait "$bare_pid" "$server" 2>/dev/null || true
  [ "$bare1" = 0 ] && bare1=$bare && sc1=$sc
  lin=$(( n < cores ? n : cores ))
  printf '  %7d  %10.0f %4.0f%% %7s  %10.0f %4.0f%% %7s  %6.1f%%  %9s %7s\n' \
    "$n" "$bare" "$(echo "100 * $bare / ($bare1 * $lin)" | bc -l)" \
    "$bare_cpu" "$sc" "$(echo "100 * $sc / ($sc1 * $lin)" | bc -l)" \
    "$sc_cpu" \
    "$(echo "100 * $sc / $bare" | bc -l)" \
    "$(per_request syscalls:sys_enter_futex "$sc")" \
    "$(per_request context-switches "$sc")"
done
