#!/usr/bin/env bash
# Start-up figures of bin/cutover in one run, beside a no-op Java main on the same JDK:
#   --version, -c 'status', time to the interactive prompt on a pseudo-terminal, and from typing
#   '1+2' at that prompt to its result. Medians over RUNS runs after a warm-up (default 9).
# The launcher's JVM cache (an AOT cache on JDK 25+, an AppCDS archive before) is made first.
# Usage: scripts/bench/startup.sh [runs]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
runs=${1:-9}
. "$root/scripts/lib/find-java.sh"
cutover_find_java || exit 2
java="$CUTOVER_JAVA_HOME/bin/java"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CUTOVER_HOME="$work/home" XDG_RUNTIME_DIR="$work/run"
mkdir -p "$XDG_RUNTIME_DIR"

cat > "$work/Noop.java" <<'JAVA'
public class Noop { public static void main(String[] args) { } }
JAVA
"$CUTOVER_JAVA_HOME/bin/javac" -d "$work" "$work/Noop.java"
"$root/bin/cutover" -c "1+2" >/dev/null 2>&1 # builds the jar and the JVM cache when missing

median() { # command... -> median wall seconds over $runs runs, after one warm-up
  python3 - "$runs" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
t = []
for _ in range(runs):
    t0 = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t.append(time.monotonic() - t0)
print(f"{statistics.median(t):.3f}")
PY
}

noop=$(median "$java" -Xshare:auto -cp "$work" Noop)
version=$(median "$root/bin/cutover" --version)
status=$(median "$root/bin/cutover" -c status)
read -r prompt first_js < <(python3 "$root/scripts/bench/lib/ptytime.py" "$runs" -- "$root/bin/cutover")
ratio() { python3 -c "print(f'{$1 / $2:.1f}')"; }

echo "startup: $("$java" -version 2>&1 | head -n1), $runs runs each, medians"
printf '  %-34s %7ss\n' "no-op Java main (same JDK)" "$noop"
printf '  %-34s %7ss  %5s× the no-op   (goal ≤ 3×)\n' "bin/cutover --version" "$version" "$(ratio "$version" "$noop")"
printf '  %-34s %7ss  %5s× the no-op\n' "bin/cutover -c status" "$status" "$(ratio "$status" "$noop")"
printf '  %-34s %7ss  %5s× the no-op   (goal ≤ 12×)\n' "interactive prompt (pty)" "$prompt" "$(ratio "$prompt" "$noop")"
printf '  %-34s %7ss                   (goal ≤ 0.15 s)\n' "first JS result after the prompt" "$first_js"
