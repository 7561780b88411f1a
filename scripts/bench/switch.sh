#!/usr/bin/env bash
# Measures how long a switch through the cutover proxy pauses its clients when there are many of
# them: N idle client connections (default 1000) moved between a plain and a TLS server, first
# without, then with a 'prepare' beforehand (freeze-writes --via proxy prepares the switch before
# it holds writes). Prints, for each switch: how many target connections were open before the
# pause, how long dispatch (reads too) was paused, how long writes were held (from the hold the
# switch takes to its release), how long the whole switch call took (connections opened ahead
# before the hold included), and how long the first PING round over all N connections took
# afterwards. The plain move is the peer of the TLS one: TLS handshakes should lengthen
# neither pause.
# Usage: scripts/bench/switch.sh [connections]   (loopback only; needs openssl)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
n=${1:-1000}
cache="${CUTOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cutover}/servers"
server="$cache/valkey9/bin/valkey-server"; [ -x "$server" ] || server=$(command -v redis-server)
cli=$(command -v redis-cli)
command -v openssl >/dev/null || { echo "bench: openssl is not installed (apt-get install openssl)"; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d)
ports=(); ppid=""
cleanup() {
  { [ -n "$ppid" ] && kill "$ppid" 2>/dev/null && wait "$ppid" 2>/dev/null; } || true
  for p in "${ports[@]}"; do $cli -p "$p" shutdown nosave >/dev/null 2>&1 || true; done
  $cli --tls --cacert "$work/ca.crt" -p "${tls_port:-0}" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A throwaway CA and a certificate for 127.0.0.1.
(cd "$work" && echo "subjectAltName=IP:127.0.0.1,DNS:localhost" > san.ext \
  && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj "/CN=bench CA" \
  && openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1" \
  && openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 \
       -extfile san.ext) >/dev/null 2>&1

start() { # dir extra-args...
  local dir="$work/$1"; shift
  mkdir -p "$dir"
  "$server" --bind 127.0.0.1 --dir "$dir" --save '' --appendonly no --daemonize yes --logfile "$dir/log" \
    --maxclients 20000 "$@" >/dev/null
}
source_port=$(free_port); plain_port=$(free_port); tls_port=$(free_port)
ports=("$source_port" "$plain_port")
start source --port "$source_port"
start plain --port "$plain_port"
start tls --port 0 --tls-port "$tls_port" --tls-cert-file "$work/server.crt" --tls-key-file "$work/server.key" \
  --tls-ca-cert-file "$work/ca.crt" --tls-auth-clients no
pp=$(free_port)
"$root/bin/cutover" proxy --listen "127.0.0.1:$pp" --upstream "redis://127.0.0.1:$source_port" \
  --control "unix:$work/control.sock" >"$work/proxy.log" 2>&1 & ppid=$!
for _ in $(seq 1 300); do $cli -p "$pp" ping >/dev/null 2>&1 && break; sleep 0.1; done

echo "bench: $("$server" --version | awk '{print $1,$3}'), $(nproc) cores, $n idle client connections through the proxy"
python3 - "$pp" "$work/control.sock" "$n" "$plain_port" "$tls_port" "$work/ca.crt" <<'PY'
import json, socket, sys, time
port, control, n, plain, tls, ca = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]

def ping_round():
    """Every connection sends PING and reads PONG; returns the seconds the round took."""
    t0 = time.perf_counter()
    for c in clients:
        c.sendall(b"*1\r\n$4\r\nPING\r\n")
    for c in clients:
        got = b""
        while not got.endswith(b"\r\n"):
            chunk = c.recv(64)
            if not chunk:
                raise SystemExit("bench: a client connection was closed")
            got += chunk
        if got != b"+PONG\r\n":
            raise SystemExit("bench: unexpected reply " + repr(got))
    return time.perf_counter() - t0

ctl = socket.socket(socket.AF_UNIX)
ctl.connect(control)
f = ctl.makefile("rw")
def call(op):
    f.write(json.dumps(op) + "\n"); f.flush()
    reply = json.loads(f.readline())
    if not reply.get("ok", True) and "error" in reply:
        raise SystemExit("bench: control said " + json.dumps(reply))
    return reply
call({"op": "hello"})
ping_round()  # every client's upstream connection is open
print(f"{'switch to':<10} {'prepared in':>11} {'opened before the pause':>24} {'dispatch paused':>16} {'writes held':>12}"
      f" {'switch call':>12} {'first PING round after':>23} {'(a round before)':>17}")
tls_extra = {"cacertPem": open(ca).read()}
for name, uri, extra, prepare in (("plain", f"redis://127.0.0.1:{plain}", {}, False),
                                  ("TLS", f"rediss://127.0.0.1:{tls}", tls_extra, False),
                                  ("plain", f"redis://127.0.0.1:{plain}", {}, True),
                                  ("TLS", f"rediss://127.0.0.1:{tls}", tls_extra, True)):
    before = ping_round()
    prepared = 0.0
    if prepare:  # what freeze-writes --via proxy does before it holds writes
        t0 = time.perf_counter()
        call({"op": "prepare", "target": uri, **extra})
        prepared = time.perf_counter() - t0
    t0 = time.perf_counter()
    reply = call({"op": "switch", "target": uri, **extra})  # holds writes, switches, releases them
    took = time.perf_counter() - t0
    after = ping_round()
    s = reply.get("switch") or SystemExit("bench: no switch result: " + json.dumps(reply))
    print(f"{name:<10} {(f'{prepared * 1e3:.1f} ms') if prepare else 'no':>11} {s['preopened']:>15} of {s['clients']:<5}"
          f" {s['dispatchPausedNanos'] / 1e6:>13.1f} ms {s['writesHeldNanos'] / 1e6:>9.1f} ms {took * 1e3:>9.1f} ms"
          f" {after * 1e3:>20.1f} ms"
          f" {before * 1e3:>14.1f} ms")
PY
