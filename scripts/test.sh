#!/usr/bin/env bash
# The whole test suite on real servers: installs what it needs, provisions the server matrix
# (Redis 7.0, Redis 8.0, Redis 8.6, Valkey 8.0, Valkey 9.1; CUTOVER_SERVERS limits it), then ./mvnw verify.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

say() { printf 'test: %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@"
  else return 77
  fi
}

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || need+=(redis-tools)
command -v haproxy >/dev/null 2>&1 || need+=(haproxy)
command -v zsh >/dev/null 2>&1 || need+=(zsh)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]} with apt-get"
  if ! { as_root apt-get install -y -q "${need[@]}" >/dev/null 2>&1 \
         || { as_root apt-get update -q >/dev/null 2>&1 && as_root apt-get install -y -q "${need[@]}" >/dev/null 2>&1; }; }; then
    say "could not install ${need[*]}: run 'sudo apt-get install ${need[*]}' (needs root or password-less sudo)"
    exit 1
  fi
fi

bash "$root/scripts/provision-servers.sh" || say "some servers could not be provisioned (said above); their tests are skipped, or fail under CI"

exec "$root/mvnw" -B verify "$@"
