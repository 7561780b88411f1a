#!/usr/bin/env bash
# Measures, in one run on this machine, what cutover adds on top of the servers' own replication:
#   1. full sync of the same dataset: server's REPLICAOF by hand vs 'cutover replicate' (ratio)
#   2. the write pause a cutover imposes: write latency (redis-benchmark) with no cutover vs
#      during freeze-writes + repoint + stop --demote-source
# Servers come from scripts/provision-servers.sh (Redis 7.0 source, Valkey 9.1 target when present).
# Usage: scripts/bench/native-cutover.sh [keys]   (default 1000000; bounded, loopback only)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
keys=${1:-1000000}
cache="${CUTOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cutover}/servers"
src_bin="$cache/redis7/bin/redis-server"; [ -x "$src_bin" ] || src_bin=$(command -v redis-server)
tgt_bin="$cache/valkey9/bin/valkey-server"; [ -x "$tgt_bin" ] || tgt_bin="$src_bin"
cli=$(command -v redis-cli); bench=$(command -v redis-benchmark)
work=$(mktemp -d); trap 'redis-cli -p $sp shutdown nosave >/dev/null 2>&1; redis-cli -p $tp shutdown nosave >/dev/null 2>&1; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sp=$(free_port); tp=$(free_port)
start() { mkdir -p "$work/$2"; "$1" --port "$2" --bind 127.0.0.1 --dir "$work/$2" --save '' --appendonly no --daemonize yes \
  --logfile "$work/$2/log" --repl-diskless-sync-delay 0 --enable-debug-command local >/dev/null; }
start "$src_bin" "$sp"; start "$tgt_bin" "$tp"; sleep 0.5
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2-$1:.2f}')"; }

echo "bench: $("$src_bin" --version | awk '{print $1,$3}') → $("$tgt_bin" --version | awk '{print $1,$3}'), $keys keys"
$cli -p "$sp" debug populate "$keys" key 64 >/dev/null

# 1. full sync, three rounds each, medians: native by hand vs cutover's own measure (REPLICAOF to
#    streaming, from stop's syncingMs)
native_runs=(); tool_runs=()
for round in 1 2 3; do
  t0=$(now); $cli -p "$tp" replicaof 127.0.0.1 "$sp" >/dev/null
  until $cli -p "$tp" info replication | grep -q master_link_status:up && ! $cli -p "$tp" info persistence | grep -q loading:1; do sleep 0.02; done
  t1=$(now); native_runs+=("$(secs "$t0" "$t1")")
  $cli -p "$tp" replicaof no one >/dev/null; $cli -p "$tp" flushall >/dev/null
  t0=$(now)
  out=$("$root/bin/cutover" --json -c "connect source redis://127.0.0.1:$sp; connect target redis://127.0.0.1:$tp; replicate --mode native; stop --yes")
  t1=$(now); whole=$(secs "$t0" "$t1")
  tool_runs+=("$(printf '%s\n' "$out" | python3 -c 'import sys, json
for line in sys.stdin:
    o = json.loads(line)
    if o.get("command") == "stop": print("%.2f" % (o["syncingMs"] / 1000))')")
  $cli -p "$tp" flushall >/dev/null
done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
native=$(median "${native_runs[@]}"); tool_sync=$(median "${tool_runs[@]}")
echo "full sync        native REPLICAOF ${native}s (runs: ${native_runs[*]}) | cutover replicate ${tool_sync}s (runs: ${tool_runs[*]}) | ratio $(python3 -c "print(f'{$tool_sync/$native:.2f}')")"
echo "                 the last whole 'cutover -c connect, connect, replicate, stop' took ${whole}s, JVM start-up included"

# 2. write latency: baseline vs during a whole cutover
n=200000
base=$($bench -p "$sp" -t set -n $((n*3)) -c 8 -r 100000 --csv 2>/dev/null | tail -1)
$bench -p "$sp" -t set -n $((n*3)) -c 8 -r 100000 --csv > "$work/during.csv" 2>/dev/null &
bpid=$!
sleep 0.5
"$root/bin/cutover" --yes -c "connect source redis://127.0.0.1:$sp; connect target redis://127.0.0.1:$tp; replicate --mode native; wait-lag; freeze-writes --lease 2s; repoint --via exec --command true; stop" > "$work/cutover.log" 2>&1 || { cat "$work/cutover.log"; exit 1; }
$cli -p "$sp" client unpause >/dev/null 2>&1 || true
wait $bpid || true
echo "write latency    (redis-benchmark SET, 8 clients, csv: test,rps,avg,min,p50,p95,p99,max ms)"
echo "                 without cutover:                         $base"
echo "                 during replicate, freeze, repoint, stop: $(tail -1 "$work/during.csv")"
echo "                 (after stop the bench unpauses the source, standing in for the clients' move to the target)"
grep -E "frozen at|caught up" "$work/cutover.log" | sed 's/^/                 cutover: /'
