#!/usr/bin/env bash
# Full sync and streaming figures for psync mode beside native replication, in one run:
#   1. the same mixed dataset (strings, hashes, lists, sets, sorted sets, TTLs) moved by the
#      servers' own REPLICAOF and by 'replicate --mode psync' (cutover is the replica):
#      seconds, keys/s, MB/s of RDB, the ratio, and the shell's peak RSS (heap capped at 512 MB)
#      then scan mode (SCAN + DUMP) on the same dataset, and Redis 8.0 → Valkey 9.1 by psync
#   2. a paced write load on the source (lib/lagprobe.py) and the end-to-end lag p50/p99 in psync
#      mode, measured by probe keys written on the source and read back from the target
# Servers come from scripts/provision-servers.sh (Redis 7.0 source, Valkey 9.1 target when present).
# Usage: scripts/bench/sync.sh [keys] [writes-per-second]   (defaults 1000000 and 20000)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
keys=${1:-1000000}
rate=${2:-20000}
cache="${CUTOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cutover}/servers"
src_bin="$cache/redis7/bin/redis-server"; [ -x "$src_bin" ] || src_bin=$(command -v redis-server)
tgt_bin="$cache/valkey9/bin/valkey-server"; [ -x "$tgt_bin" ] || tgt_bin="$src_bin"
cli=$(command -v redis-cli)
work=$(mktemp -d)
trap '$cli -p $sp shutdown nosave >/dev/null 2>&1; $cli -p $tp shutdown nosave >/dev/null 2>&1; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sp=$(free_port); tp=$(free_port)
start() { mkdir -p "$work/$2"; "$1" --port "$2" --bind 127.0.0.1 --dir "$work/$2" --save '' --appendonly no --daemonize yes \
  --logfile "$work/$2/log" --repl-diskless-sync-delay 0 --enable-debug-command local >/dev/null; }
start "$src_bin" "$sp"; start "$tgt_bin" "$tp"; sleep 0.5
now() { date +%s.%N; }
calc() { python3 -c "print($1)"; }
export CUTOVER_HOME="$work/home"

echo "bench: $("$src_bin" --version | awk '{print $1,$3}') → $("$tgt_bin" --version | awk '{print $1,$3}'), $keys keys of mixed types"
python3 "$root/scripts/bench/lib/dataset.py" "$keys" | $cli -p "$sp" --pipe >/dev/null
$cli -p "$sp" save >/dev/null
rdb_bytes=$(stat -c %s "$work/$sp/dump.rdb")
echo "dataset          $($cli -p "$sp" dbsize) keys, RDB $(calc "f'{$rdb_bytes/1e6:.1f}'") MB, used memory $($cli -p "$sp" info memory | grep used_memory_human: | cut -d: -f2 | tr -d '\r')"
"$root/bin/cutover" --version >/dev/null 2>&1 || true # builds the jar once, outside the timings

native_runs=(); psync_runs=(); rss_runs=()
for round in 1 2 3; do
  $cli -p "$tp" flushall >/dev/null
  t0=$(now); $cli -p "$tp" replicaof 127.0.0.1 "$sp" >/dev/null
  until $cli -p "$tp" info replication | grep -q master_link_status:up && ! $cli -p "$tp" info persistence | grep -q loading:1; do sleep 0.02; done
  t1=$(now); native_runs+=("$(calc "f'{$t1-$t0:.2f}'")")
  $cli -p "$tp" replicaof no one >/dev/null; $cli -p "$tp" flushall >/dev/null
  CUTOVER_JAVA_OPTS="-Xmx512m" /usr/bin/time -f '%M' -o "$work/rss" "$root/bin/cutover" --json \
    -c "connect source redis://127.0.0.1:$sp; connect target redis://127.0.0.1:$tp; replicate --mode psync; stop --yes" > "$work/out.json"
  psync_runs+=("$(python3 -c 'import sys, json
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("command") == "stop": print("%.2f" % (o["syncingMs"] / 1000))' "$work/out.json")")
  rss_runs+=("$(( $(cat "$work/rss") / 1024 ))")
  [ "$($cli -p "$tp" dbsize)" = "$($cli -p "$sp" dbsize)" ] || { echo "psync left $($cli -p "$tp" dbsize) keys of $($cli -p "$sp" dbsize)"; exit 1; }
done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
native=$(median "${native_runs[@]}"); psync=$(median "${psync_runs[@]}"); rss=$(median "${rss_runs[@]}")
echo "full sync        native REPLICAOF ${native}s (runs: ${native_runs[*]}), $(calc "f'{$keys/$native:,.0f}'") keys/s, $(calc "f'{$rdb_bytes/1e6/$native:.0f}'") MB/s"
echo "                 psync mode       ${psync}s (runs: ${psync_runs[*]}), $(calc "f'{$keys/$psync:,.0f}'") keys/s, $(calc "f'{$rdb_bytes/1e6/$psync:.0f}'") MB/s"
echo "                 psync rate / native rate: $(calc "f'{$native/$psync:.2f}'") (target ≥ 0.50)"
echo "shell peak RSS   ${rss} MB with -Xmx512m (runs: ${rss_runs[*]} MB)"
if [ "$($cli -p "$sp" debug digest)" = "$($cli -p "$tp" debug digest)" ]; then echo "digest           source and target equal after the psync run"; else echo "digest           DIFFERENT"; exit 1; fi

# scan mode (one run): SCAN + DUMP → RESTORE, following keyspace events
$cli -p "$tp" flushall >/dev/null
run_tool() { CUTOVER_JAVA_OPTS="-Xmx512m" "$root/bin/cutover" --json -c "$1" | python3 -c 'import sys, json
for line in sys.stdin:
    o = json.loads(line)
    if o.get("command") == "stop": print("%.2f" % (o["syncingMs"] / 1000))'; }
scan=$(run_tool "connect source redis://127.0.0.1:$sp; connect target redis://127.0.0.1:$tp; replicate --mode scan; stop --yes")
[ "$($cli -p "$tp" dbsize)" = "$($cli -p "$sp" dbsize)" ] || { echo "scan left $($cli -p "$tp" dbsize) keys"; exit 1; }
echo "                 scan mode        ${scan}s (one run), $(calc "f'{$keys/$scan:,.0f}'") keys/s, scan rate / native rate: $(calc "f'{$native/$scan:.2f}'")"

# Redis 8.0 → Valkey 9.1, which only psync mode can do, beside the native Redis 7.0 → Valkey 9.1 above
r8_bin="$cache/redis8/bin/redis-server"
if [ -x "$r8_bin" ]; then
  rp=$(free_port); start "$r8_bin" "$rp"; sleep 0.5
  trap '$cli -p $sp shutdown nosave >/dev/null 2>&1; $cli -p $tp shutdown nosave >/dev/null 2>&1; $cli -p $rp shutdown nosave >/dev/null 2>&1; rm -rf "$work"' EXIT
  python3 "$root/scripts/bench/lib/dataset.py" "$keys" | $cli -p "$rp" --pipe >/dev/null
  $cli -p "$rp" save >/dev/null; r8_bytes=$(stat -c %s "$work/$rp/dump.rdb")
  $cli -p "$tp" flushall >/dev/null
  r8=$(run_tool "connect source redis://127.0.0.1:$rp; connect target redis://127.0.0.1:$tp; replicate --mode psync; stop --yes")
  [ "$($cli -p "$tp" dbsize)" = "$($cli -p "$rp" dbsize)" ] || { echo "Redis 8 psync left $($cli -p "$tp" dbsize) keys"; exit 1; }
  echo "cross-version    Redis 8.0 → Valkey 9.1 psync ${r8}s (one run), $(calc "f'{$keys/$r8:,.0f}'") keys/s, $(calc "f'{$r8_bytes/1e6/$r8:.0f}'") MB/s (RDB 12: ordinary commands)"
  echo "                 beside Redis 7.0 → Valkey 9.1 native ${native}s: ratio of rates $(calc "f'{$native/$r8:.2f}'")"
  $cli -p "$rp" shutdown nosave >/dev/null 2>&1 || true
else
  echo "cross-version    skipped: Redis 8.0 is not provisioned (scripts/provision-servers.sh)"
fi

# 2. streaming lag under a paced write load
$cli -p "$tp" flushall >/dev/null
cat > "$work/hold.js" <<'JS'
while (!source.call("EXISTS", "bench:done")) { sleep("100ms"); }
JS
"$root/bin/cutover" --yes -c "connect source redis://127.0.0.1:$sp; connect target redis://127.0.0.1:$tp; replicate --mode psync; run $work/hold.js" > "$work/stream.log" 2>&1 &
cpid=$!
until $cli -p "$sp" info replication | grep -q 'slave0:.*state=online'; do sleep 0.1; done
sleep 1
echo "streaming lag    $(python3 "$root/scripts/bench/lib/lagprobe.py" "$sp" "$tp" "$rate" 20) (psync mode, target ${rate}/s, p99 target < 100 ms)"
$cli -p "$sp" set bench:done 1 >/dev/null
wait $cpid || { cat "$work/stream.log"; exit 1; }
