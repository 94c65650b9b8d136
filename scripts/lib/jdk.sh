# Sourced by the scripts: finds a JDK 22 or newer and exports JAVA_HOME and PATH for it.
# Order: $JAVA_HOME if it is new enough, then the newest JDK under /usr/lib/jvm.

isthmus_java_feature() { # prints the feature version (17, 22, 25, ...) of the JDK at $1, or nothing
  local release="$1/release" v
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  else
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
  fi
  printf '%s' "$v"
}

isthmus_find_jdk() {
  local need=22 v best="" bestv=0 d
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(isthmus_java_feature "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$need" ]; then
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
    echo "note: JAVA_HOME=$JAVA_HOME is $([ -n "$v" ] && echo "JDK $v" || echo "not a JDK"); Isthmus needs JDK $need or newer, looking in /usr/lib/jvm" >&2
  fi
  for d in /usr/lib/jvm/*; do
    [ -d "$d" ] && [ ! -L "$d" ] || continue
    v=$(isthmus_java_feature "$d")
    if [ -n "$v" ] && [ "$v" -ge "$need" ] && [ "$v" -gt "$bestv" ]; then
      best=$d; bestv=$v
    fi
  done
  if [ -z "$best" ]; then
    echo "error: no JDK $need or newer found." >&2
    echo "  Isthmus uses the Foreign Function & Memory API (final in Java 22)." >&2
    echo "  Set JAVA_HOME to a JDK $need+ or install one under /usr/lib/jvm (e.g. 'apt-get install openjdk-25-jdk' where Debian has it)." >&2
    local seen; seen=$(for d in /usr/lib/jvm/*; do [ -d "$d" ] && printf ' %s(%s)' "${d##*/}" "$(isthmus_java_feature "$d")"; done)
    echo "  Found:${seen:- nothing under /usr/lib/jvm}" >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}

isthmus_need_maven() {
  command -v mvn >/dev/null 2>&1 && return 0
  echo "error: Maven (mvn) is not installed; install it with 'apt-get install -y maven'." >&2
  return 1
}
