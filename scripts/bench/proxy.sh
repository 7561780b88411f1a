#!/usr/bin/env bash
# Measures, in one run on this machine, what the cutover proxy costs next to a direct connection
# and next to HAProxy in TCP mode: redis-benchmark SET and GET, 50 clients, without and with
# pipelining (-P 16), against the server directly, through HAProxy and through 'cutover proxy'.
# Prints the median throughput and p50/p99 of ROUNDS interleaved rounds (default 5), the ratios
# proxy/direct and proxy/HAProxy (with their spread over the rounds), and the CPU time HAProxy and
# the proxy spent per request. A second proxy runs beside the first on the channels' own I/O
# (CUTOVER_PROXY_IO=channel: one system call per read and per write, what JDK 21 or a kernel
# without io_uring gets), so the table also shows what io_uring brings. Then a cutover through the
# proxy under a 10k writes/s load.
# Usage: scripts/bench/proxy.sh [requests]   (default 300000 per test without pipelining, 6 times as
# many with it, so that each test lasts a few seconds; loopback only)
# Env: ROUNDS; PROXY_LOOPS passes --loops to the proxy (default: the proxy's own).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
n=${1:-300000}
np=$((n * 6)) # pipelined: at about 500k ops/s, 300000 requests would be over in 0.6 s, too short to compare
cache="${CUTOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cutover}/servers"
server="$cache/valkey9/bin/valkey-server"; [ -x "$server" ] || server=$(command -v redis-server)
bench=$(command -v redis-benchmark); cli=$(command -v redis-cli)
command -v haproxy >/dev/null || { echo "bench: haproxy is not installed (apt-get install haproxy)"; exit 1; }
work=$(mktemp -d)
sp=""; hpid=""; ppid=""; cpid_chan=""
cleanup() {
  { [ -n "$ppid" ] && kill "$ppid" 2>/dev/null && wait "$ppid" 2>/dev/null; } || true
  { [ -n "$cpid_chan" ] && kill "$cpid_chan" 2>/dev/null && wait "$cpid_chan" 2>/dev/null; } || true
  { [ -n "$hpid" ] && kill "$hpid" 2>/dev/null; } || true
  { [ -n "$sp" ] && $cli -p "$sp" shutdown nosave >/dev/null 2>&1; } || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sp=$(free_port); hp=$(free_port); pp=$(free_port); pc=$(free_port)

"$server" --port "$sp" --bind 127.0.0.1 --dir "$work" --save '' --appendonly no --daemonize yes \
  --logfile "$work/server.log" >/dev/null
cat > "$work/haproxy.cfg" <<CFG
global
  maxconn 2000
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend redis
  bind 127.0.0.1:$hp
  default_backend servers
backend servers
  server s1 127.0.0.1:$sp
CFG
haproxy -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 & hpid=$!
loops=()
[ -n "${PROXY_LOOPS:-}" ] && loops=(--loops "$PROXY_LOOPS")
"$root/bin/cutover" proxy --listen "127.0.0.1:$pp" \
  --upstream "redis://127.0.0.1:$sp" --control "unix:$work/control.sock" "${loops[@]}" >"$work/proxy.log" 2>&1 & ppid=$!
CUTOVER_PROXY_IO=channel "$root/bin/cutover" proxy --listen "127.0.0.1:$pc" \
  --upstream "redis://127.0.0.1:$sp" --control "unix:$work/control-chan.sock" "${loops[@]}" >"$work/proxy-chan.log" 2>&1 & cpid_chan=$!
for port in "$sp" "$hp" "$pp" "$pc"; do
  for _ in $(seq 1 300); do $cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  $cli -p "$port" ping >/dev/null 2>&1 || { echo "bench: nothing answers on port $port"; cat "$work"/*.log; exit 1; }
done
# Warm-up: the JIT compiles the proxy's forwarding path; HAProxy and the server get the same traffic.
for port in "$sp" "$hp" "$pp" "$pc"; do $bench -p "$port" -t set,get -n 200000 -c 50 -P 16 -r 100000 -q >/dev/null 2>&1; done
for port in "$sp" "$hp" "$pp" "$pc"; do $bench -p "$port" -t set,get -n 100000 -c 50 -r 100000 -q >/dev/null 2>&1; done

# This machine is shared: one run of one peer can be 10-15% off. So each test runs $rounds times,
# the three peers interleaved within a round (each round starting with another), and the table shows medians. Besides throughput:
# the CPU time HAProxy and the proxy spent per request (utime + stime of all their threads).
rounds=${ROUNDS:-5}
echo "bench: $("$server" --version | awk '{print $1,$3}'), $(haproxy -v | head -1 | awk '{print $1,$3}'), $(nproc) cores,"\
  "redis-benchmark -c 50 -n $n (-P 16: -n $np), r = random keys over 100000; medians of $rounds interleaved rounds; ops/s and p50/p99 in ms"
tick_ns=$((1000000000 / $(getconf CLK_TCK)))
cpu_ns() { awk -v t="$tick_ns" '{sub(/.*\) /, ""); printf "%.0f", ($12 + $13) * t}' /proc/"$1"/stat; } # utime + stime, all threads
run() { # port test pipeline pid-or-empty -> "rps p50 p99 cpu-ns-per-request"
  local before=0 after=0 line
  [ -n "$4" ] && before=$(cpu_ns "$4")
  local requests=$n
  [ "$3" != 1 ] && requests=$np
  line=$($bench -p "$1" -t "$2" -n "$requests" -c 50 -P "$3" -r 100000 --csv 2>/dev/null | tail -1)
  [ -n "$4" ] && after=$(cpu_ns "$4")
  python3 -c 'import csv,sys; r=next(csv.reader([sys.argv[1]])); print(r[1], r[4], r[6], int(sys.argv[2]) / int(sys.argv[3]))' \
    "$line" $((after - before)) "$requests"
}
results="$work/results"
: > "$results"
for round in $(seq 1 "$rounds"); do
  for pipeline in 1 16; do
    for t in set get; do
      peers=("direct $sp" "haproxy $hp $hpid" "proxy $pp $ppid" "channel $pc $cpid_chan")
      for k in 0 1 2 3; do # each round starts with another peer: none always runs right after another
        read -r peer port pid <<< "${peers[$(( (k + round) % 4 ))]}"
        echo "$t $pipeline $peer $(run "$port" "$t" "$pipeline" "${pid:-}")" >> "$results"
      done
    done
  done
done
python3 - "$results" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    t, pl, peer, *v = line.split()
    runs[(t, pl, peer)].append([float(x) for x in v])
med = lambda rows, i: statistics.median(r[i] for r in rows)
cell = lambda rows: f"{med(rows, 0):>10,.0f} {med(rows, 1):>6.3f}/{med(rows, 2):<7.3f}"
print(f"{'test':<5} {'pipeline':<9} {'direct':>27} {'haproxy':>27} {'proxy':>27} {'proxy/direct':>13} {'proxy/haproxy':>14}"
      f" {'(rounds)':>11}  {'CPU us/req haproxy':>18} {'proxy':>6}   {'proxy on channel I/O':>27} {'/haproxy':>8} {'CPU':>6}")
for pl in ("1", "16"):
    for t in ("set", "get"):
        d, h, p, c = (runs[(t, pl, x)] for x in ("direct", "haproxy", "proxy", "channel"))
        each = [pr[0] / hr[0] for pr, hr in zip(p, h)]
        print(f"{t.upper():<5} {('-P ' + pl) if pl != '1' else 'none':<9} {cell(d):>27} {cell(h):>27} {cell(p):>27}"
              f" {med(p, 0) / med(d, 0):>13.2f} {med(p, 0) / med(h, 0):>14.2f} {min(each):>5.2f}-{max(each):<5.2f}"
              f" {med(h, 3) / 1000:>18.2f} {med(p, 3) / 1000:>6.2f}   {cell(c):>27} {med(c, 0) / med(h, 0):>8.2f}"
              f" {med(c, 3) / 1000:>6.2f}")
PY
# The proxy's own measure of what it adds per command (read to write, both ways), over its last 10 seconds.
python3 - "$work/control.sock" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rw")
for op in ({"op": "hello"}, {"op": "status"}):
    f.write(json.dumps(op) + "\n"); f.flush(); reply = json.loads(f.readline())
st = reply["status"]
print(f"proxy's own measure of the latency it adds (last 10 s): p50 {st['addedLatencyP50Micros']:.1f} us,"
      f" p99 {st['addedLatencyP99Micros']:.1f} us; its I/O: {st.get('io', '?')}")
PY
grep -E "warning|error" "$work/proxy.log" "$work/proxy-chan.log" || true

# The cutover through the proxy under a paced write load (10k writes/s, 4 clients that never
# reconnect): the write pause the clients saw, their errors, and writes lost on the target.
src_bin="$cache/valkey8/bin/valkey-server"; [ -x "$src_bin" ] || src_bin="$server"
cs=$(free_port); ct=$(free_port); cp=$(free_port)
for port in "$cs" "$ct"; do
  bin="$server"; [ "$port" = "$cs" ] && bin="$src_bin"
  mkdir -p "$work/$port"
  "$bin" --port "$port" --bind 127.0.0.1 --dir "$work/$port" --save '' --appendonly no --daemonize yes \
    --logfile "$work/$port/log" --repl-diskless-sync-delay 0 >/dev/null
done
trap 'cleanup; $cli -p $cs shutdown nosave >/dev/null 2>&1; $cli -p $ct shutdown nosave >/dev/null 2>&1 || true' EXIT
sleep 0.5
$cli -p "$cs" debug populate 200000 seed 64 >/dev/null 2>&1 || true
cat > "$work/go.js" <<'JS'
while (!source.call("EXISTS", "bench:go")) { sleep("50ms"); }
JS
CUTOVER_HOME="$work/home" "$root/bin/cutover" --yes \
  -c "connect source redis://127.0.0.1:$cs; proxy start --listen 127.0.0.1:$cp; run $work/go.js; run $root/scripts/cutover-via-proxy.js --arg source=redis://127.0.0.1:$cs --arg target=redis://127.0.0.1:$ct --arg keepRunning=bench:done" \
  > "$work/cutover.log" 2>&1 &
cpid=$!
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $cp)).close()" 2>/dev/null; do sleep 0.1; done
load=$(python3 "$root/scripts/bench/lib/proxyload.py" "$cp" 10000 12 3 "$work/acked")
wait $cpid || { cat "$work/cutover.log"; exit 1; }
lost=$(python3 - "$ct" "$work/acked" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); f = s.makefile("rb")
keys = [k for k in open(sys.argv[2]).read().split("\n") if k]
lost = 0
for i in range(0, len(keys), 1000):
    chunk = keys[i:i + 1000]
    s.sendall(b"".join(b"*2\r\n$6\r\nEXISTS\r\n$%d\r\n%s\r\n" % (len(k), k.encode()) for k in chunk))
    lost += sum(1 for _ in chunk if f.readline().strip() != b":1")
print(lost)
PY
)
echo
echo "cutover through the proxy under load ($("$src_bin" --version | awk '{print $1,$3}') → $("$server" --version | awk '{print $1,$3}'), scripts/cutover-via-proxy.js):"
echo "  $load"
echo "  lost writes (acknowledged, missing on the target): $lost"
grep -E "the proxy moved" "$work/cutover.log" | sed 's/^ */  /'
