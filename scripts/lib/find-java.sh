# Sourced by bin/cutover, mvnw and the scripts: sets CUTOVER_JAVA_HOME to a JDK 21 or newer.
# Looks at JAVA_HOME, then `java` on PATH, then the system's JVM directories, newest first.
# Prints one sentence and returns 1 when none is found.

cutover_java_major() {
  # 25 / 8: from the JDK's release file (JAVA_VERSION="25.0.3"), which costs no JVM start;
  # else from the JVM itself ("java.specification.version = 25").
  local v=""
  if [ -r "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9.]*\).*/\1/p' "$1/release" | head -n1)
  fi
  [ -n "$v" ] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)
  v=${v#1.}
  printf '%s' "${v%%.*}"
}

cutover_find_java() {
  local candidates=() home major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    candidates+=("$home")
  fi
  for dir in /usr/lib/jvm /usr/java /opt/java /Library/Java/JavaVirtualMachines; do
    [ -d "$dir" ] || continue
    while IFS= read -r home; do
      [ -x "$home/bin/java" ] && candidates+=("$home")
      [ -x "$home/Contents/Home/bin/java" ] && candidates+=("$home/Contents/Home")
    done < <(ls -1d "$dir"/*/ 2>/dev/null | sed 's:/$::' | sort -rV)
  done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" -o -n "${CUTOVER_JRE_OK:-}" ] || continue
    major=$(cutover_java_major "$home")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      CUTOVER_JAVA_HOME=$home
      export CUTOVER_JAVA_HOME
      return 0
    fi
  done
  echo "cutover needs a JDK 21 or newer and found none (looked at JAVA_HOME, java on PATH and /usr/lib/jvm): install one (e.g. 'apt-get install openjdk-21-jdk' where your release has it, or Temurin 21+) and set JAVA_HOME to it." >&2
  return 1
}
