# Sourced by scripts/serve and scripts/demo (after lib/jdk.sh): builds the jars that are missing or
# older than their sources, and puts together the java command line that runs on the module path.
#   isthmus_build_launcher      mvn package (tests skipped) of the stale modules, if any
#   isthmus_mvn_package         the quiet build both use: one line on the terminal, Maven's output in a log
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
  isthmus_mvn_package "$list (jars missing or older than the sources)" -pl "$list" -am
}

# Whether no module has been built yet: a fresh checkout, whose first build also fetches the dependencies.
isthmus_first_build() {
  local entry
  for entry in "${ISTHMUS_LAUNCH_MODULES[@]}"; do
    [ -z "$(isthmus_jar "${entry%%:*}")" ] || return 1
  done
  return 0
}

# mvn package (tests skipped) with the arguments after $1; $1 says what is built. One line goes to the
# terminal; Maven's whole output goes to target/build.log, whose path and errors are shown only if the
# build fails. Offline first (the usual case: the dependencies are cached); if Maven says something is
# missing in offline mode, as on a fresh machine whose ~/.m2 lacks them, once more with network access.
isthmus_mvn_package() {
  local what=$1 root log from=1
  shift
  root=$(isthmus_root)
  log="$root/target/build.log"
  isthmus_need_maven
  mkdir -p "$root/target"
  if isthmus_first_build; then
    echo "building Isthmus (first run, ~1 min) ..." >&2
  else
    echo "building $what ..." >&2
  fi
  local mvn=(mvn -B -Dstyle.color=never -DskipTests package "$@")
  if (cd "$root" && "${mvn[@]}" -o) >"$log" 2>&1; then
    return 0
  fi
  if grep -q 'in offline mode' "$log"; then
    from=$(($(wc -l <"$log") + 1))
    echo "--- offline build lacked a dependency; trying again with network access" >>"$log"
    if (cd "$root" && "${mvn[@]}") >>"$log" 2>&1; then
      return 0
    fi
  fi
  echo "error: the build failed; Maven's whole output is in $log" >&2
  # The last attempt's errors, without Maven's advice on how to rerun it.
  tail -n "+$from" "$log" | grep '^\[ERROR\] .' | grep -v -e 'Help 1' -e 'Re-run Maven' -e 'full stack trace' \
    -e 'resume the build' -e 'mvn <args>' -e 'possible solutions' | head -n 12 >&2 || true
  return 1
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
