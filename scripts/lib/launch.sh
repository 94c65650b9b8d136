# Sourced by scripts/serve and scripts/demo (after lib/jdk.sh): builds the jars that are missing or
# older than their sources, and puts together the java command line that runs on the module path.
#   isthmus_build_launcher      mvn package (tests skipped) of the stale modules, if any
#   isthmus_java_cmd            fills the array ISTHMUS_JAVA: java, native access, module path

# folder -> module name, for every module that may be on the launcher's module path
ISTHMUS_LAUNCH_MODULES=(
  "ffi-bindings:dev.isthmus.ffi"
  "stack-facade:dev.isthmus.stack"
  "ffi-bindings/linux-socket:dev.isthmus.linux"
  "io-epoll:dev.isthmus.epoll"
  "io-uring:dev.isthmus.uring"
  "io-dpdk:dev.isthmus.dpdk"
)

isthmus_root() { (cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd); }

isthmus_jar() { # the main jar of module folder $1 (named after its last path element), or nothing
  local f
  for f in "$(isthmus_root)/$1"/target/isthmus-"${1##*/}"-*.jar; do
    case "$f" in *-sources.jar|*-javadoc.jar|*-tests.jar) continue ;; esac
    if [ -f "$f" ]; then printf '%s' "$f"; return 0; fi
  done
  return 0
}

isthmus_build_launcher() {
  local root entry dir jar stale=()
  root=$(isthmus_root)
  for entry in "${ISTHMUS_LAUNCH_MODULES[@]}"; do
    dir=${entry%%:*}
    [ -d "$root/$dir/src/main" ] || continue
    jar=$(isthmus_jar "$dir")
    if [ -z "$jar" ] || [ -n "$(find "$root/$dir/src/main" "$root/$dir/pom.xml" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
      stale+=("$dir")
    fi
  done
  if [ ! -f "$root/stack-facade/target/runtime-lib/slf4j-simple-$(isthmus_slf4j_version).jar" ]; then
    stale+=(stack-facade)
  fi
  [ ${#stale[@]} -gt 0 ] || return 0
  local list; list=$(IFS=,; printf '%s' "${stale[*]}")
  echo "building $list (jars missing or older than the sources) ..." >&2
  isthmus_need_maven
  # Offline first (the usual case: dependencies are cached); online only if something is missing.
  if ! (cd "$root" && mvn -B -q -o -Dstyle.color=never -DskipTests package -pl "$list" -am >&2); then
    echo "offline build failed; trying again with network access" >&2
    (cd "$root" && mvn -B -q -Dstyle.color=never -DskipTests package -pl "$list" -am >&2)
  fi
}

isthmus_slf4j_version() {
  sed -n 's:.*<slf4j.version>\(.*\)</slf4j.version>.*:\1:p' "$(isthmus_root)/pom.xml"
}

isthmus_java_cmd() {
  local root entry dir jar mp="" access=""
  root=$(isthmus_root)
  for entry in "${ISTHMUS_LAUNCH_MODULES[@]}"; do
    dir=${entry%%:*}
    jar=$(isthmus_jar "$dir")
    [ -n "$jar" ] || continue
    mp+="${mp:+:}$jar"
    access+="${access:+,}${entry#*:}"
  done
  for jar in "$root"/stack-facade/target/runtime-lib/*.jar; do
    [ -f "$jar" ] && mp+=":$jar"
  done
  # --add-modules ALL-MODULE-PATH resolves every stack module, so ServiceLoader sees each backend and
  # every module named in --enable-native-access exists (an unknown one would print a warning).
  ISTHMUS_JAVA=("$JAVA_HOME/bin/java" "--enable-native-access=$access" --module-path "$mp"
    --add-modules ALL-MODULE-PATH)
}
