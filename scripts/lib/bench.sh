# Sourced by scripts/bench and scripts/demo (after lib/jdk.sh and lib/launch.sh): builds the benchmark
# harness when it is missing or older than any module's sources, and runs it.
#   isthmus_build_bench     mvn package (tests skipped) of native-tests and what it needs, if stale
#   isthmus_bench_java      fills ISTHMUS_BENCH_JAVA: java on the harness's class path, native access
#   isthmus_serve_argfile   writes the java @argfile that starts the Serve launcher on the module path

isthmus_build_bench() {
  local root jar dir
  root=$(isthmus_root)
  jar=$(isthmus_jar native-tests)
  if [ -n "$jar" ] && [ -d "$root/native-tests/target/bench-lib" ]; then
    local stale=""
    for dir in ffi-bindings ffi-bindings/linux-socket stack-facade io-epoll io-uring io-dpdk native-tests; do
      [ -d "$root/$dir/src/main" ] || continue
      if [ -n "$(find "$root/$dir/src/main" "$root/$dir/pom.xml" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
        stale=$dir
        break
      fi
    done
    [ -n "$stale" ] || { isthmus_build_launcher; return 0; }
  fi
  isthmus_mvn_package "the benchmark harness (native-tests and the stacks; tests skipped)" -pl native-tests -am
  isthmus_build_launcher
}

isthmus_bench_java() {
  local root
  root=$(isthmus_root)
  # The class path, not the module path: Netty's native transports and JMH's forks are at home there.
  # ALL-UNNAMED allows the FFM calls of our jars and Netty's JNI loading, so no warning is printed.
  ISTHMUS_BENCH_JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
    -cp "$(isthmus_jar native-tests):$root/native-tests/target/bench-lib/*")
}

isthmus_serve_argfile() { # $1: the file to write
  local a out=$1
  isthmus_java_cmd
  mkdir -p "$(dirname "$out")"
  : >"$out"
  # java @argfile syntax: one argument per line, in double quotes with \ and " escaped.
  for a in "${ISTHMUS_JAVA[@]:1}" -m dev.isthmus.stack/dev.isthmus.stack.cli.Serve; do
    a=${a//\\/\\\\}
    printf '"%s"\n' "${a//\"/\\\"}" >>"$out"
  done
}
