#!/usr/bin/env bash
# A real Neo4j Community server for tests and benchmarks, without Docker: its artifacts come from
# Maven Central (scripts/neo4j-test-server/pom.xml, cached in ~/.m2) and it runs from their class
# path with its data, configuration and logs under DIR, on free loopback ports only.
#
#   scripts/neo4j-test-server.sh start DIR    start it; prints NEO4J_URI=…, NEO4J_USER=…,
#                                             NEO4J_PASSWORD=…, NEO4J_HTTP_URL=… on stdout
#                                             (eval-able) and writes its PID to DIR/neo4j.pid
#   scripts/neo4j-test-server.sh stop DIR     stop it by that PID (TERM, then KILL after 60 s)
#   scripts/neo4j-test-server.sh admin DIR …  run `neo4j-admin …` on DIR's configuration and data
#                                             (e.g. `database import full` while it is stopped)
#
# Environment: NEO4J_VERSION (default: the pom's), NEO4J_HEAP (default 1g), NEO4J_PAGECACHE
# (default 512m), NEO4J_START_TIMEOUT seconds (default 180). Needs Java 17+ and Maven.
# Diagnostics go to stderr, so `eval "$(scripts/neo4j-test-server.sh start DIR)"` is safe.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$HERE/neo4j-test-server/pom.xml"

say() { echo "neo4j-test-server: $*" >&2; }
die() { say "$*"; exit 1; }

usage() {
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

need_tools() {
  command -v java >/dev/null || die "java not found (install a JDK 17+, e.g. apt-get install openjdk-17-jdk-headless)"
  command -v mvn >/dev/null || die "mvn not found (install Maven, e.g. apt-get install maven)"
  local major
  major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [ "${major:-0}" -ge 17 ] 2>/dev/null || die "Java 17 or newer is needed, found ${major:-unknown}"
}

# The server's class path, resolved by Maven (downloads into ~/.m2 the first time only).
classpath() {
  local dir="$1" out="$1/classpath.txt"
  local version_args=()
  [ -n "${NEO4J_VERSION:-}" ] && version_args=("-Dneo4j.version=$NEO4J_VERSION")
  if [ ! -s "$out" ] || [ "$POM" -nt "$out" ] || [ -n "${NEO4J_VERSION:-}" ]; then
    say "resolving Neo4j ${NEO4J_VERSION:-(pom default)} from Maven Central"
    mvn -q -B -f "$POM" "${version_args[@]}" dependency:build-classpath -Dmdep.outputFile="$out" >&2 \
      || die "Maven could not resolve the Neo4j artifacts (is Maven Central reachable?)"
  fi
  cat "$out"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local p i
  for i in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  die "no free loopback port found"
}

write_conf() {
  local dir="$1" bolt="$2" http="$3"
  mkdir -p "$dir/conf" "$dir/data" "$dir/logs" "$dir/plugins" "$dir/import" "$dir/run"
  cat > "$dir/conf/neo4j.conf" <<EOF
# Written by scripts/neo4j-test-server.sh: loopback only, no telemetry, small memory.
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.listen_address=127.0.0.1:$bolt
server.bolt.advertised_address=127.0.0.1:$bolt
server.http.listen_address=127.0.0.1:$http
server.http.advertised_address=127.0.0.1:$http
server.https.enabled=false
server.directories.data=$dir/data
server.directories.logs=$dir/logs
server.directories.plugins=$dir/plugins
server.directories.import=$dir/import
server.directories.run=$dir/run
server.memory.pagecache.size=${NEO4J_PAGECACHE:-512m}
dbms.usage_report.enabled=false
dbms.security.auth_enabled=true
db.tx_log.rotation.retention_policy=2 files
db.logs.query.enabled=OFF
EOF
}

JVM_OPTS=(
  -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -Djdk.nio.maxCachedBufferSize=1024
  -Dio.netty.tryReflectionSetAccessible=true -Dlog4j2.disable.jmx=true
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
)

admin() {
  local dir="$1"; shift
  [ -f "$dir/conf/neo4j.conf" ] || write_conf "$dir" "$(free_port)" "$(free_port)"
  local cp; cp="$(classpath "$dir")"
  NEO4J_HOME="$dir" NEO4J_CONF="$dir/conf" java "${JVM_OPTS[@]}" -cp "$cp" org.neo4j.cli.AdminTool "$@"
}

running_pid() {
  local dir="$1" pid
  [ -f "$dir/neo4j.pid" ] || return 1
  pid="$(cat "$dir/neo4j.pid")"
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

start() {
  local dir="$1"
  mkdir -p "$dir"; dir="$(cd "$dir" && pwd)"
  if running_pid "$dir" >/dev/null; then die "already running in $dir (PID $(cat "$dir/neo4j.pid"))"; fi
  local cp bolt http password
  cp="$(classpath "$dir")"
  bolt="$(free_port)"; http="$(free_port)"
  while [ "$http" = "$bolt" ]; do http="$(free_port)"; done
  write_conf "$dir" "$bolt" "$http"
  if [ ! -s "$dir/password" ]; then
    od -An -tx1 -N12 /dev/urandom | tr -d ' \n' > "$dir/password"
  fi
  password="$(cat "$dir/password")"
  # The initial password only takes effect before the system database is first created.
  if [ ! -d "$dir/data/databases/system" ]; then
    NEO4J_HOME="$dir" NEO4J_CONF="$dir/conf" java "${JVM_OPTS[@]}" -cp "$cp" org.neo4j.cli.AdminTool \
      dbms set-initial-password "$password" >&2 || die "could not set the initial password"
  fi
  say "starting Neo4j (bolt 127.0.0.1:$bolt, http 127.0.0.1:$http, data in $dir)"
  NEO4J_HOME="$dir" NEO4J_CONF="$dir/conf" setsid java "${JVM_OPTS[@]}" \
    "-Xms${NEO4J_HEAP:-1g}" "-Xmx${NEO4J_HEAP:-1g}" -cp "$cp" \
    org.neo4j.server.CommunityEntryPoint --home-dir="$dir" --config-dir="$dir/conf" \
    </dev/null >"$dir/logs/console.log" 2>&1 &
  local pid=$!
  echo "$pid" > "$dir/neo4j.pid"
  local deadline=$((SECONDS + ${NEO4J_START_TIMEOUT:-180}))
  until curl -fsS -m 2 "http://127.0.0.1:$http/" 2>/dev/null | grep -q neo4j_version && port_in_use "$bolt"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$dir/logs/console.log" "$dir/logs/neo4j.log" 2>/dev/null >&2 || true
      rm -f "$dir/neo4j.pid"
      die "Neo4j exited while starting (logs above, all of them in $dir/logs)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      stop "$dir" || true
      die "Neo4j did not answer within ${NEO4J_START_TIMEOUT:-180} s (logs in $dir/logs)"
    fi
    sleep 1
  done
  local version
  version="$(curl -fsS -m 2 "http://127.0.0.1:$http/" | sed -n 's/.*"neo4j_version":"\([^"]*\)".*/\1/p')"
  say "Neo4j $version is up (PID $pid)"
  echo "NEO4J_URI=bolt://127.0.0.1:$bolt"
  echo "NEO4J_USER=neo4j"
  echo "NEO4J_PASSWORD=$password"
  echo "NEO4J_HTTP_URL=http://127.0.0.1:$http"
  echo "NEO4J_VERSION=$version"
}

stop() {
  local dir="$1" pid
  pid="$(running_pid "$dir")" || { say "not running in $dir"; rm -f "$dir/neo4j.pid"; return 0; }
  kill -TERM "$pid"
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then say "PID $pid ignored TERM for 60 s; killing it"; kill -KILL "$pid"; fi
    sleep 0.5
  done
  rm -f "$dir/neo4j.pid"
  say "stopped (PID $pid)"
}

[ $# -ge 2 ] || usage
command="$1"; dir="$2"; shift 2
case "$command" in
  start) need_tools; start "$dir" ;;
  stop) stop "$dir" ;;
  admin) need_tools; mkdir -p "$dir"; admin "$(cd "$dir" && pwd)" "$@" ;;
  *) usage ;;
esac
