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
#   RABT_PKI_DIR    the local CA and certificates (deploy/local/.run/pki; created on first start)
#   RABT_KAFKA_SECURITY  tls (default): TLS listeners, client certificates, ACLs;
#                   plaintext: DEBUGGING ONLY, no TLS, no authentication, no ACLs
#   stack.sh pki    creates the CA and certificates only (tests and tools call it)
#   stack.sh kafka-acls   (re)applies the service ACLs to the running local broker
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
PKI_DIR="${RABT_PKI_DIR:-$HERE/.run/pki}"
SECURITY="${RABT_KAFKA_SECURITY:-tls}"
# Every principal the platform uses: service-<name> -> User:service.<name> (docs/security.md).
SERVICES=(gateway schema-registry router dispatcher workflow ops cli agency-simulator)

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

# One EC P-256 key (PKCS#8 PEM, 0600) and certificate signed by the CA, kept if present.
# $1 file name, $2 subject, $3 extensions (a SAN for the broker).
pki_issue() {
  local name="$1" subj="$2" ext="${3:-}"
  [[ -s "$PKI_DIR/$name.crt" && -s "$PKI_DIR/$name.key" ]] && return 0
  (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI_DIR/$name.key" 2>/dev/null) || die "openssl could not create $name.key"
  local extfile="$PKI_DIR/.$name.ext"
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth,serverAuth\n%s\n' "$ext" > "$extfile"
  openssl req -new -key "$PKI_DIR/$name.key" -subj "$subj" -out "$PKI_DIR/.$name.csr" 2>/dev/null || die "openssl could not sign a request for $name"
  openssl x509 -req -in "$PKI_DIR/.$name.csr" -CA "$PKI_DIR/ca.crt" -CAkey "$PKI_DIR/ca.key" -CAcreateserial -days 825 -sha256 \
    -extfile "$extfile" -out "$PKI_DIR/$name.crt" 2>/dev/null || die "openssl could not issue $name.crt"
  rm -f "$PKI_DIR/.$name.csr" "$extfile"
  chmod 0600 "$PKI_DIR/$name.key"
}

# The local CA (CN=Rabt Local CA,O=Rabt) and the broker's, operator's and services' certificates
# (docs/security.md): created on first start, reused afterwards. The folder is 0700, keys 0600.
pki() {
  need openssl "Install OpenSSL (Debian: apt-get install openssl); the stack creates its local CA with it."
  mkdir -p "$PKI_DIR"; chmod 0700 "$PKI_DIR"
  if [[ ! -s "$PKI_DIR/ca.crt" || ! -s "$PKI_DIR/ca.key" ]]; then
    (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI_DIR/ca.key" 2>/dev/null) || die "openssl could not create the CA key"
    openssl req -new -x509 -key "$PKI_DIR/ca.key" -subj "/O=Rabt/CN=Rabt Local CA" -days 3650 -sha256 \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$PKI_DIR/ca.crt" 2>/dev/null \
      || die "openssl could not create the local CA"
    chmod 0600 "$PKI_DIR/ca.key"
    say "local CA created in $PKI_DIR (never commit it)"
  fi
  pki_issue broker-kafka "/O=Rabt/OU=broker/CN=kafka" "subjectAltName=IP:127.0.0.1,DNS:localhost"
  pki_issue operator-admin "/O=Rabt/OU=operator/CN=admin"
  local s; for s in "${SERVICES[@]}"; do pki_issue "service-$s" "/O=Rabt/OU=service/CN=$s"; done
  # The broker's PEM key store: its key and certificate in one file.
  if [[ ! -s "$PKI_DIR/broker-kafka.pem" || "$PKI_DIR/broker-kafka.crt" -nt "$PKI_DIR/broker-kafka.pem" ]]; then
    (umask 077 && cat "$PKI_DIR/broker-kafka.key" "$PKI_DIR/broker-kafka.crt" > "$PKI_DIR/broker-kafka.pem")
  fi
}

# Applies the service ACLs (libs/kafka service-acls) as operator-admin; idempotent.
kafka_acls() {
  [[ "$SECURITY" == plaintext ]] && { say "plaintext profile: no ACLs to apply"; return 0; }
  (cd "$ROOT" && RABT_DEV_MODE=true KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT" KAFKA_SSL=true \
    KAFKA_SSL_CA_FILE="$PKI_DIR/ca.crt" KAFKA_SSL_CERT_FILE="$PKI_DIR/operator-admin.crt" KAFKA_SSL_KEY_FILE="$PKI_DIR/operator-admin.key" \
    node_modules/.bin/tsx --tsconfig tsconfig.base.json apps/cli/src/main.ts kafka acls apply --quiet) \
    || die "applying the service ACLs failed (a broker started before it was secured, or with RABT_KAFKA_SECURITY=plaintext, is still running: stack.sh kafka-down, then kafka-up)"
}

kafka_up() {
  if [[ -n "${KAFKA_BROKERS:-}" ]]; then say "KAFKA_BROKERS=$KAFKA_BROKERS: using that cluster, no local broker"; return 0; fi
  need java "Install a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless)."
  local javav; javav="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')"
  [[ "${javav%%.*}" -ge 17 ]] 2>/dev/null || die "Kafka $KAFKA_VERSION needs Java 17 or newer; found ${javav:-unknown}."
  if pid="$(kafka_pid)"; then say "kafka already running on 127.0.0.1:$KAFKA_PORT (pid $pid)"; kafka_acls; return 0; fi
  if port_open "$KAFKA_PORT"; then die "port $KAFKA_PORT is taken by another process; stop it or set RABT_KAFKA_PORT"; fi
  kafka_fetch
  mkdir -p "$KAFKA_DIR" "$LOG_DIR"
  local props="$KAFKA_DIR/server.properties" template="$HERE/kafka/server.properties.template"
  case "$SECURITY" in
    tls) pki ;;
    plaintext)
      template="$HERE/kafka/plaintext.properties.template"
      printf '[stack] WARNING: RABT_KAFKA_SECURITY=plaintext: the broker on :%s has NO TLS, NO authentication and NO ACLs.\n' "$KAFKA_PORT" >&2
      printf '[stack] WARNING: anyone who reaches it reads every topic and forges any record. Debugging only.\n' >&2 ;;
    *) die "RABT_KAFKA_SECURITY must be tls or plaintext (got $SECURITY)" ;;
  esac
  # A data folder formatted under the other profile keeps its metadata: refuse to mix them.
  if [[ -f "$KAFKA_DIR/security" && "$(cat "$KAFKA_DIR/security")" != "$SECURITY" ]]; then
    die "the broker data in $KAFKA_DIR was made with RABT_KAFKA_SECURITY=$(cat "$KAFKA_DIR/security"); delete that folder or use another RABT_RUN_DIR"
  fi
  sed -e "s#@PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g" -e "s#@DATA_DIR@#$KAFKA_DIR/data#g" -e "s#@PKI_DIR@#$PKI_DIR#g" \
    "$template" > "$props"
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
    echo "$SECURITY" > "$KAFKA_DIR/security"
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
  say "kafka $KAFKA_VERSION up on 127.0.0.1:$KAFKA_PORT ($SECURITY, pid $(cat "$PID_FILE")), log: ${LOG_DIR#"$ROOT"/}/kafka-$KAFKA_PORT/kafka.log"
  kafka_acls
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
  kafka-acls) kafka_acls ;;
  pki) pki ;;
  *) echo "usage: $0 up|down|status|kafka-up|kafka-down|kafka-acls|pki" >&2; exit 2 ;;
esac
