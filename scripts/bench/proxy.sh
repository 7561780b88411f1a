#!/usr/bin/env bash
# Measures, in one run on this machine, what the cutover proxy costs next to a direct connection
# and next to HAProxy in TCP mode: redis-benchmark SET and GET, 50 clients, without and with
# pipelining (-P 16), against the server directly, through HAProxy and through 'cutover proxy'.
# Prints throughput and p50/p99 for each, and the ratios proxy/direct and proxy/HAProxy.
# Usage: scripts/bench/proxy.sh [requests]   (default 300000 per test; loopback only)
# The proxy runs with C2 (CUTOVER_JAVA_OPTS=-XX:TieredStopAtLevel=4 overrides the launcher's
# quick-start C1-only flag) and --loops from PROXY_LOOPS (default: the proxy's own default).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
n=${1:-300000}
cache="${CUTOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cutover}/servers"
server="$cache/valkey9/bin/valkey-server"; [ -x "$server" ] || server=$(command -v redis-server)
bench=$(command -v redis-benchmark); cli=$(command -v redis-cli)
command -v haproxy >/dev/null || { echo "bench: haproxy is not installed (apt-get install haproxy)"; exit 1; }
work=$(mktemp -d)
sp=""; hpid=""; ppid=""
cleanup() {
  [ -n "$ppid" ] && kill "$ppid" 2>/dev/null && wait "$ppid" 2>/dev/null
  [ -n "$hpid" ] && kill "$hpid" 2>/dev/null
  [ -n "$sp" ] && $cli -p "$sp" shutdown nosave >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sp=$(free_port); hp=$(free_port); pp=$(free_port)

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
CUTOVER_JAVA_OPTS="-XX:TieredStopAtLevel=4 ${CUTOVER_JAVA_OPTS:-}" "$root/bin/cutover" proxy --listen "127.0.0.1:$pp" \
  --upstream "redis://127.0.0.1:$sp" --control "unix:$work/control.sock" "${loops[@]}" >"$work/proxy.log" 2>&1 & ppid=$!
for port in "$sp" "$hp" "$pp"; do
  for _ in $(seq 1 300); do $cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  $cli -p "$port" ping >/dev/null 2>&1 || { echo "bench: nothing answers on port $port"; cat "$work"/*.log; exit 1; }
done
# Warm-up: the JIT compiles the proxy's forwarding path; HAProxy and the server get the same traffic.
for port in "$sp" "$hp" "$pp"; do $bench -p "$port" -t set,get -n 200000 -c 50 -P 16 -q >/dev/null 2>&1; done
for port in "$sp" "$hp" "$pp"; do $bench -p "$port" -t set,get -n 100000 -c 50 -q >/dev/null 2>&1; done

echo "bench: $("$server" --version | awk '{print $1,$3}'), $(haproxy -v | head -1 | awk '{print $1,$3}'), $(nproc) cores,"\
  "redis-benchmark -c 50 -n $n, r = random keys over 100000; ops/s and p50/p99 in ms"
printf '%-12s %-9s %27s %27s %27s %12s %12s\n' test pipeline direct haproxy proxy proxy/direct proxy/haproxy
run() { # port test pipeline -> "rps p50 p99"
  $bench -p "$1" -t "$2" -n "$n" -c 50 -P "$3" -r 100000 --csv 2>/dev/null | tail -1 |
    python3 -c 'import csv,sys; r=next(csv.reader(sys.stdin)); print(r[1], r[4], r[6])'
}
for pipeline in 1 16; do
  for t in set get; do
    d=$(run "$sp" "$t" "$pipeline"); h=$(run "$hp" "$t" "$pipeline"); p=$(run "$pp" "$t" "$pipeline")
    python3 - "$t" "$pipeline" "$d" "$h" "$p" <<'PY'
import sys
t, pl, d, h, p = sys.argv[1:]
d, h, p = ([float(x) for x in s.split()] for s in (d, h, p))
cell = lambda v: f"{v[0]:>10,.0f} {v[1]:>6.3f}/{v[2]:<7.3f}"
print(f"{t.upper():<12} {('-P ' + pl) if pl != '1' else 'none':<9} {cell(d):>27} {cell(h):>27} {cell(p):>27}"
      f" {p[0]/d[0]:>12.2f} {p[0]/h[0]:>12.2f}")
PY
  done
done
# The proxy's own measure of what it adds per command (read to write, both ways), over its last 10 seconds.
python3 - "$work/control.sock" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rw")
for op in ({"op": "hello"}, {"op": "status"}):
    f.write(json.dumps(op) + "\n"); f.flush(); reply = json.loads(f.readline())
st = reply["status"]
print(f"proxy's own measure of the latency it adds (last 10 s): p50 {st['addedLatencyP50Micros']:.1f} us,"
      f" p99 {st['addedLatencyP99Micros']:.1f} us")
PY
grep -E "warning|error" "$work/proxy.log" || true

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
trap 'cleanup; $cli -p $cs shutdown nosave >/dev/null 2>&1; $cli -p $ct shutdown nosave >/dev/null 2>&1' EXIT
sleep 0.5
$cli -p "$cs" debug populate 200000 seed 64 >/dev/null 2>&1 || true
cat > "$work/go.js" <<'JS'
while (!source.call("EXISTS", "bench:go")) { sleep("50ms"); }
JS
CUTOVER_HOME="$work/home" CUTOVER_JAVA_OPTS="${CUTOVER_JAVA_OPTS:--XX:TieredStopAtLevel=4}" "$root/bin/cutover" --yes \
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
