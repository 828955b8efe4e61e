#!/usr/bin/env bash
# Rabt local stack: real Apache Kafka (KRaft, one node, jars from Maven Central) and PostgreSQL.
#   stack.sh up | down | status       the whole stack
#   stack.sh kafka-up | kafka-down    only the broker (tests start a second one on other ports)
# Environment:
#   KAFKA_BROKERS   set => use that cluster, start no local broker
#   DATABASE_URL    set => use that server, start no local Postgres (the database is still
#                   created if missing, and migrations run)
#   RABT_KAFKA_PORT / RABT_KAFKA_CONTROLLER_PORT (9092/9093), RABT_RUN_DIR (deploy/local/.run),
#   RABT_CACHE_DIR (deploy/local/.cache: the Maven-resolved jars)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/kafka/pom.xml")"
CACHE_DIR="${RABT_CACHE_DIR:-$HERE/.cache}"
LIBS_DIR="$CACHE_DIR/kafka-$KAFKA_VERSION/libs"
RUN_DIR="${RABT_RUN_DIR:-$HERE/.run}"
KAFKA_PORT="${RABT_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${RABT_KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_DIR="$RUN_DIR/kafka-$KAFKA_PORT"
LOG_DIR="$RUN_DIR/logs"
KAFKA_LOG="$LOG_DIR/kafka-$KAFKA_PORT.log"
PID_FILE="$KAFKA_DIR/kafka.pid"
READY_TIMEOUT="${RABT_KAFKA_READY_TIMEOUT:-90}"

say() { printf '[stack] %s\n' "$*"; }
die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }

need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is not installed. $2"
}

kafka_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid; pid="$(cat "$PID_FILE")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

kafka_fetch() {
  if compgen -G "$LIBS_DIR/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null; then return 0; fi
  need java "Install a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless)."
  need mvn "Install Apache Maven 3.8+ (Debian: apt-get install maven); it fetches Kafka from Maven Central."
  say "resolving Apache Kafka $KAFKA_VERSION and its dependencies from Maven Central (first run only)"
  local tmp="$LIBS_DIR.partial"
  rm -rf "$tmp"; mkdir -p "$tmp"
  mvn -q -B -f "$HERE/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" \
    || die "mvn could not resolve org.apache.kafka:kafka_2.13:$KAFKA_VERSION (is Maven Central reachable?)"
  rm -rf "$LIBS_DIR"; mv "$tmp" "$LIBS_DIR"
  say "Kafka jars cached in ${LIBS_DIR#"$ROOT"/} ($(ls "$LIBS_DIR" | wc -l) jars)"
}

kafka_up() {
  if [[ -n "${KAFKA_BROKERS:-}" ]]; then say "KAFKA_BROKERS=$KAFKA_BROKERS: using that cluster, no local broker"; return 0; fi
  need java "Install a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless)."
  local javav; javav="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')"
  [[ "${javav%%.*}" -ge 17 ]] 2>/dev/null || die "Kafka $KAFKA_VERSION needs Java 17 or newer; found ${javav:-unknown}."
  if pid="$(kafka_pid)"; then say "kafka already running on 127.0.0.1:$KAFKA_PORT (pid $pid)"; return 0; fi
  if port_open "$KAFKA_PORT"; then die "port $KAFKA_PORT is taken by another process; stop it or set RABT_KAFKA_PORT"; fi
  kafka_fetch
  mkdir -p "$KAFKA_DIR" "$LOG_DIR"
  local props="$KAFKA_DIR/server.properties"
  sed -e "s#@PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g" -e "s#@DATA_DIR@#$KAFKA_DIR/data#g" \
    "$HERE/kafka/server.properties.template" > "$props"
  local cp="$LIBS_DIR/*"
  local jvm=(-Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
    "-Dkafka.logs.dir=$LOG_DIR/kafka-$KAFKA_PORT" "-Dlog4j2.configurationFile=$HERE/kafka/log4j2.xml")
  if [[ ! -f "$KAFKA_DIR/data/meta.properties" ]]; then
    # A random base64url UUID, never starting with '-' (the CLI would read it as an option;
    # Kafka's own random-uuid avoids that too).
    local cluster_id="-"
    while [[ "$cluster_id" == -* ]]; do cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"; done
    java "${jvm[@]}" -cp "$cp" kafka.tools.StorageTool format --cluster-id="$cluster_id" --config "$props" > "$KAFKA_DIR/format.out" 2>&1 \
      || { cat "$KAFKA_DIR/format.out" >&2; die "formatting KRaft storage failed"; }
  fi
  mkdir -p "$LOG_DIR/kafka-$KAFKA_PORT"
  : > "$LOG_DIR/kafka-$KAFKA_PORT/kafka.log"
  # setsid: the broker outlives this script and the npm process that ran it.
  setsid nohup java "${jvm[@]}" -cp "$cp" kafka.Kafka "$props" > "$KAFKA_DIR/stdout.log" 2>&1 < /dev/null &
  echo $! > "$PID_FILE"
  local waited=0
  until grep -q "Kafka Server started" "$LOG_DIR/kafka-$KAFKA_PORT/kafka.log" 2>/dev/null && port_open "$KAFKA_PORT"; do
    if ! kafka_pid >/dev/null; then
      tail -n 30 "$KAFKA_DIR/stdout.log" "$LOG_DIR/kafka-$KAFKA_PORT/kafka.log" >&2 || true
      rm -f "$PID_FILE"; die "kafka exited during start-up (logs above)"
    fi
    (( waited++ >= READY_TIMEOUT * 5 )) && die "kafka not ready after ${READY_TIMEOUT}s; see $LOG_DIR/kafka-$KAFKA_PORT/kafka.log"
    sleep 0.2
  done
  say "kafka $KAFKA_VERSION up on 127.0.0.1:$KAFKA_PORT (pid $(cat "$PID_FILE")), log: ${LOG_DIR#"$ROOT"/}/kafka-$KAFKA_PORT/kafka.log"
}

kafka_down() {
  local pid
  if ! pid="$(kafka_pid)"; then rm -f "$PID_FILE"; say "kafka on :$KAFKA_PORT not running"; return 0; fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then say "kafka did not stop within 30s; killing"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$PID_FILE"
  say "kafka on :$KAFKA_PORT stopped"
}

# The local stack is a developer's machine: development mode (the passwordless local database URL).
postgres() { (cd "$ROOT" && RABT_DEV_MODE=true node_modules/.bin/tsx --tsconfig tsconfig.base.json deploy/local/postgres.ts "$@"); }

status() {
  if [[ -n "${KAFKA_BROKERS:-}" ]]; then say "kafka: external ($KAFKA_BROKERS)"
  elif pid="$(kafka_pid)"; then say "kafka: running on 127.0.0.1:$KAFKA_PORT (pid $pid)"
  else say "kafka: stopped"; fi
  postgres status
}

[[ -x "$ROOT/node_modules/.bin/tsx" ]] || die "dependencies are not installed: run npm ci first"

case "${1:-}" in
  up) kafka_up; postgres up ;;
  down) kafka_down; postgres down ;;
  status) status ;;
  kafka-up) kafka_up ;;
  kafka-down) kafka_down ;;
  *) echo "usage: $0 up|down|status|kafka-up|kafka-down" >&2; exit 2 ;;
esac
