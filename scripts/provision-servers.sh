#!/usr/bin/env bash
# Provides the real server binaries the tests and the demo run against, in a per-user cache:
#   redis7   Debian's redis-server package (apt-get)
#   valkey8  Debian's valkey-server 8.0 binary package from bookworm-backports, unpacked (dpkg -x)
#   valkey9  Debian's valkey 9.1 source package (sid), built with TLS
#   redis8   Debian's redis 8.0 source package (sid), built with TLS, no modules
#   redis86  Debian's redis 8.6 source package (experimental), built with TLS, no modules:
#            the newest Redis, which writes RDB 13; plus Redis's own test module for key
#            metadata (tests/modules/test_keymeta.so), the only way to make a server write opcode 243
# Idempotent: a flavour already in the cache is not touched again. Each step is one line.
# CUTOVER_SERVERS="redis7 valkey9" limits the flavours; the default is all five.
# The machine's own apt configuration is never changed: a private one lives under the cache,
# and the Debian mirror is taken from the machine's existing apt sources.
set -uo pipefail

CACHE="${CUTOVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cutover}"
SERVERS_DIR="$CACHE/servers"
APT_DIR="$CACHE/apt"
WANTED="${CUTOVER_SERVERS:-redis7 valkey8 valkey9 redis8 redis86}"
WANTED="${WANTED//,/ }"
VALKEY8_VERSION="${CUTOVER_VALKEY8_VERSION:-8.0.1}"
VALKEY9_VERSION="${CUTOVER_VALKEY9_VERSION:-9.1.2-1}"
REDIS8_VERSION="${CUTOVER_REDIS8_VERSION:-5:8.0.6-3}"
REDIS86_VERSION="${CUTOVER_REDIS86_VERSION:-5:8.6.3-1}"
JOBS="${CUTOVER_BUILD_JOBS:-2}"
failed=0

say() { printf 'provision: %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@"
  else return 77
  fi
}

# The Debian mirror the machine already uses (deb822 .sources or one-line sources.list).
debian_mirror() {
  local uri
  uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' \
        | grep -E '/debian/?$' | head -n1)
  if [ -z "$uri" ]; then
    uri=$(grep -hsE '^deb(-src)? ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
          | sed -E 's/\[[^]]*\]//' | awk '{print $2}' | grep -E '/debian/?$' | head -n1)
  fi
  printf '%s' "${uri%/}"
}

private_apt() {
  apt-get -q -o Dir::Etc::SourceList="$APT_DIR/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::State::Lists="$APT_DIR/lists" -o Dir::Cache="$APT_DIR/cache" \
    -o Dir::State::status="$APT_DIR/status" -o APT::Architectures::=amd64 \
    -o Debug::NoLocking=1 "$@"
}

private_apt_ready=0
prepare_private_apt() {
  [ "$private_apt_ready" -eq 1 ] && return 0
  local mirror keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  mirror=$(debian_mirror)
  if [ -z "$mirror" ]; then
    say "no Debian mirror found in /etc/apt/sources*: cannot fetch backports, sid or experimental packages"
    return 1
  fi
  mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
  : > "$APT_DIR/status"
  cat > "$APT_DIR/sources.list" <<EOF
deb [signed-by=$keyring] $mirror bookworm-backports main
deb-src [signed-by=$keyring] $mirror sid main
deb-src [signed-by=$keyring] $mirror experimental main
EOF
  say "updating a private apt index (bookworm-backports, sid and experimental sources) under $APT_DIR"
  if ! private_apt update >"$APT_DIR/update.log" 2>&1; then
    say "private apt update failed (see $APT_DIR/update.log)"
    return 1
  fi
  private_apt_ready=1
}

ensure_packages() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]} with apt-get"
  as_root apt-get install -y -q "${missing[@]}" >"$CACHE/apt-install.log" 2>&1
  local rc=$?
  if [ $rc -eq 77 ]; then
    say "need root or password-less sudo to install ${missing[*]}: run 'sudo apt-get install ${missing[*]}'"
    return 1
  elif [ $rc -ne 0 ]; then
    as_root apt-get update -q >/dev/null 2>&1
    as_root apt-get install -y -q "${missing[@]}" >"$CACHE/apt-install.log" 2>&1 || {
      say "apt-get install ${missing[*]} failed (see $CACHE/apt-install.log)"; return 1; }
  fi
}

ready() { [ -x "$SERVERS_DIR/$1/bin/$2" ] && "$SERVERS_DIR/$1/bin/$2" --version >/dev/null 2>&1; }

provide_redis7() {
  local dir="$SERVERS_DIR/redis7"
  if ready redis7 redis-server; then say "redis7 ready ($("$dir/bin/redis-server" --version | awk '{print $3}'))"; return 0; fi
  ensure_packages redis-server redis-tools || return 1
  mkdir -p "$dir/bin"
  ln -sf "$(command -v redis-server)" "$dir/bin/redis-server"
  ln -sf "$(command -v redis-cli)" "$dir/bin/redis-cli"
  say "redis7 ready ($(redis-server --version | awk '{print $3}'), Debian package)"
}

provide_valkey8() {
  local dir="$SERVERS_DIR/valkey8" work
  if ready valkey8 valkey-server; then say "valkey8 ready"; return 0; fi
  ensure_packages libjemalloc2 liblzf1 || return 1
  prepare_private_apt || return 1
  work=$(mktemp -d)
  say "downloading valkey-server/valkey-tools $VALKEY8_VERSION from bookworm-backports"
  if ! (cd "$work" && private_apt download "valkey-server=$VALKEY8_VERSION*" "valkey-tools=$VALKEY8_VERSION*") \
      >"$work/download.log" 2>&1; then
    # Take whichever 8.0 the suite serves when the pinned one is gone.
    (cd "$work" && private_apt download valkey-server valkey-tools) >>"$work/download.log" 2>&1 || {
      say "valkey8 unavailable: bookworm-backports did not serve valkey-server (see $work/download.log)"; return 1; }
  fi
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/root" "$dir.tmp/bin"
  for deb in "$work"/*.deb; do dpkg -x "$deb" "$dir.tmp/root"; done
  # valkey-server is a symlink to valkey-check-rdb in the package: resolve inside the tree.
  for b in valkey-server valkey-cli valkey-check-rdb; do
    local target
    target=$(readlink -f "$dir.tmp/root/usr/bin/$b" 2>/dev/null || true)
    case "$target" in "$dir.tmp/root"/*) ;; *) target="$dir.tmp/root/usr/bin/$(readlink "$dir.tmp/root/usr/bin/$b")";; esac
    [ -e "$target" ] && ln -sf "${target/$dir.tmp/$dir}" "$dir.tmp/bin/$b"
  done
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
  rm -rf "$work"
  if ready valkey8 valkey-server; then
    say "valkey8 ready ($("$dir/bin/valkey-server" --version | awk '{print $3}'), bookworm-backports)"
  else
    say "valkey8 unpacked but does not start (missing runtime library?): try '$dir/bin/valkey-server --version'"
    return 1
  fi
}

# Builds a Debian source package with TLS into $SERVERS_DIR/<flavour>. The suite (sid or
# experimental) is named, so that a pinned version gone from the mirror falls back to whatever
# that suite serves, never to another suite's (redis is in both: 8.0 in sid, 8.6 in experimental).
build_from_source() {
  local flavour=$1 pkg=$2 version=$3 prefix=$4 suite=$5 module=${6:-} dir="$SERVERS_DIR/$1" work src
  if ready "$flavour" "$prefix-server" && { [ -z "$module" ] || [ -f "$dir/modules/$module.so" ]; }; then
    say "$flavour ready"; return 0
  fi
  ensure_packages build-essential libssl-dev pkg-config dpkg-dev || return 1
  prepare_private_apt || return 1
  work="$CACHE/build/$flavour"
  rm -rf "$work" && mkdir -p "$work"
  say "fetching Debian source package $pkg $version ($suite)"
  if ! (cd "$work" && private_apt source --download-only "$pkg=$version") >"$work/source.log" 2>&1; then
    (cd "$work" && private_apt source --download-only "$pkg/$suite") >>"$work/source.log" 2>&1 || {
      say "$flavour unavailable: $suite did not serve source package $pkg (see $work/source.log)"; return 1; }
  fi
  (cd "$work" && dpkg-source --no-check -x ./*.dsc src) >"$work/unpack.log" 2>&1 || {
    say "$flavour: unpacking $pkg failed (see $work/unpack.log)"; return 1; }
  src="$work/src"
  say "building $flavour with make -j$JOBS BUILD_TLS=yes (a few minutes; log: $work/build.log)"
  if ! make -C "$src" -j"$JOBS" BUILD_TLS=yes >"$work/build.log" 2>&1; then
    say "$flavour: build failed (see $work/build.log)"; return 1
  fi
  rm -rf "$dir" && mkdir -p "$dir/bin"
  for b in server cli check-rdb benchmark; do
    [ -x "$src/src/$prefix-$b" ] && cp -L "$src/src/$prefix-$b" "$dir/bin/"
  done
  if [ -n "$module" ]; then
    if make -C "$src/tests/modules" "$module.so" >"$work/module.log" 2>&1; then
      mkdir -p "$dir/modules" && cp "$src/tests/modules/$module.so" "$dir/modules/"
    else
      say "$flavour: building test module $module failed (see $work/module.log)"; failed=1
    fi
  fi
  rm -rf "$work/src"
  if ready "$flavour" "$prefix-server"; then
    say "$flavour ready ($("$dir/bin/$prefix-server" --version | awk '{print $3}'), built from Debian source $pkg)"
  else
    say "$flavour built but does not start: try '$dir/bin/$prefix-server --version'"; return 1
  fi
}

mkdir -p "$SERVERS_DIR"
for flavour in $WANTED; do
  case "$flavour" in
    redis7)  provide_redis7 || failed=1 ;;
    valkey8) provide_valkey8 || failed=1 ;;
    valkey9) build_from_source valkey9 valkey "$VALKEY9_VERSION" valkey sid || failed=1 ;;
    redis8)  build_from_source redis8 redis "$REDIS8_VERSION" redis sid || failed=1 ;;
    redis86) build_from_source redis86 redis "$REDIS86_VERSION" redis experimental test_keymeta || failed=1 ;;
    *) say "unknown flavour '$flavour' (known: redis7 valkey8 valkey9 redis8 redis86)"; failed=1 ;;
  esac
done
exit $failed
