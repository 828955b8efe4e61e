#!/usr/bin/env bash
# Checks, within seconds, that this machine has what `npm run demo` (demo) or `npm test` (test)
# needs, before anything long starts. What is missing and may be installed (Debian's Chromium, as
# root or with password-less sudo) is installed; otherwise it stops naming the exact command.
#   prerequisites.sh demo|test
# RABT_NO_INSTALL=1 never installs anything: it only names what to run. RABT_CHROMIUM names
# another Chromium binary for the console's tests (default /usr/bin/chromium, Debian's).
set -euo pipefail
cd "$(dirname "$0")/.."

purpose="${1:?usage: prerequisites.sh demo|test}"
missing=()
say() { printf '[prerequisites] %s\n' "$*"; }

# Node: the engines field of package.json.
node_version="$(node -p 'process.versions.node' 2>/dev/null || echo 0.0.0)"
IFS=. read -r major minor _ <<< "$node_version"
if ! { [[ "$major" -eq 20 && "$minor" -ge 19 ]] || [[ "$major" -ge 22 ]]; }; then
  missing+=("Node.js 20.19+ or 22+ (found $node_version): install it from your distribution or nodejs.org")
fi

# Java and Maven run the local Kafka broker unless KAFKA_BROKERS names another cluster; Maven
# only until the broker's jars are cached.
if [[ -z "${KAFKA_BROKERS:-}" ]]; then
  javav="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p' || true)"
  if [[ -z "$javav" ]]; then missing+=("Java 17+: apt-get install -y openjdk-17-jre-headless")
  elif [[ "${javav%%.*}" -lt 17 ]]; then missing+=("Java 17+ (found $javav): apt-get install -y openjdk-17-jre-headless"); fi
  kafka_version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' deploy/local/kafka/pom.xml)"
  if ! compgen -G "${RABT_CACHE_DIR:-deploy/local/.cache}/kafka-$kafka_version/libs/kafka_2.13-*.jar" >/dev/null \
    && ! command -v mvn >/dev/null 2>&1; then
    missing+=("Apache Maven 3.8+ (it fetches Kafka from Maven Central): apt-get install -y maven")
  fi
  # The stack creates the secured broker's local CA and certificates with openssl.
  command -v openssl >/dev/null 2>&1 || missing+=("OpenSSL (the local broker's certificates): apt-get install -y openssl")
fi

if [[ "$purpose" == test ]]; then
  # The contract gates compare schemas with the previous commit.
  command -v git >/dev/null 2>&1 || missing+=("git: apt-get install -y git")
  # The console's browser tests drive Debian's Chromium (apps/console/test) through playwright-core.
  chromium="${RABT_CHROMIUM:-/usr/bin/chromium}"
  if [[ ! -x "$chromium" ]]; then
    install=(apt-get install -y --no-install-recommends chromium)
    if [[ -z "${RABT_NO_INSTALL:-}" ]] && command -v apt-get >/dev/null 2>&1; then
      sudo=()
      if [[ "$(id -u)" -ne 0 ]]; then sudo -n true 2>/dev/null && sudo=(sudo -n); fi
      if [[ "$(id -u)" -eq 0 || ${#sudo[@]} -gt 0 ]]; then
        say "Chromium is missing (the console's browser tests need it): ${sudo[*]:+${sudo[*]} }${install[*]}"
        export DEBIAN_FRONTEND=noninteractive
        "${sudo[@]}" "${install[@]}" >/dev/null 2>&1 \
          || { "${sudo[@]}" apt-get update >/dev/null && "${sudo[@]}" "${install[@]}" >/dev/null; } \
          || missing+=("Chromium at $chromium: ${install[*]} failed; run it yourself")
      else
        missing+=("Chromium at $chromium (the console's browser tests): sudo ${install[*]}")
      fi
    else
      missing+=("Chromium at $chromium (the console's browser tests): sudo ${install[*]}")
    fi
  fi
fi

if ((${#missing[@]})); then
  say "this machine lacks what 'npm $([[ $purpose == test ]] && echo test || echo run demo)' needs:" >&2
  for m in "${missing[@]}"; do printf '  - %s\n' "$m" >&2; done
  exit 1
fi
say "ok: node $node_version${javav:+, java $javav}$([[ $purpose == test ]] && echo ", chromium")"
