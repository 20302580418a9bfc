#!/usr/bin/env bash
# Runs the same network load (gomq-bench's load generator) against GoMQ's standalone jar,
# Mosquitto and Moquette, one after the other on this machine, on free loopback ports, and
# prints the results. Extra arguments go to the load generator (e.g. --qos 0 --subscribers 4).
#
#   mvn -q package -DskipTests && gomq-bench/compare-brokers.sh --qos 1 --duration PT10S
#
# Needs the mosquitto broker (Debian: apt-get install mosquitto); Moquette comes from Maven
# Central (gomq-bench/moquette/pom.xml, the root pom's moquette.version). The brokers run without
# disk persistence of clean sessions' messages (GoMQ logs only retained messages and
# persistent sessions' QoS 1/2; Mosquitto and Moquette run without persistence), with 64 messages in
# flight per client. Mosquitto's queue per client is unlimited (max_queued_messages 0): with
# a limit it drops QoS 1 messages it acknowledged, where GoMQ slows the publishers down.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=gomq-bench/target/benchmarks.jar
GOMQ=gomq-launcher/target/gomq.jar
for f in "$BENCH" "$GOMQ"; do
  [[ -f $f ]] || { echo "missing $f: run mvn -q package -DskipTests first" >&2; exit 2; }
done
command -v mosquitto >/dev/null || { echo "mosquitto is not installed (apt-get install mosquitto)" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_port() {
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on $1" >&2
  return 1
}

# a JVM broker needs its JIT warm: 10 s unless the caller says otherwise
warmup=(--warmup PT10S)
for a in "$@"; do [[ $a == --warmup* ]] && warmup=(); done

load() {
  java -jar "$BENCH" load --url "tcp://127.0.0.1:$1" --label "$2" "${warmup[@]}" "${@:3}"
}

port=$(free_port)
java -jar "$GOMQ" --bind 127.0.0.1 --port "$port" --http-port 0 --ws-port off --data-dir "$work/gomq" --max-inflight 64 \
  >"$work/gomq.log" 2>&1 &
pids+=($!)
wait_port "$port"
load "$port" GoMQ "$@" || echo "GoMQ run failed (exit $?)"
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

port=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_inflight_messages 64\nmax_queued_messages 0\n' \
  "$port" >"$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
pids+=($!)
wait_port "$port"
load "$port" Mosquitto "$@" || echo "Mosquitto run failed (exit $?)"
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

version=$(sed -n 's:.*<moquette.version>\(.*\)</moquette.version>.*:\1:p' pom.xml)
if mvn -q -f gomq-bench/moquette/pom.xml dependency:build-classpath -Dmoquette.version="$version" \
    -Dmdep.outputFile="$work/moquette.cp" >"$work/moquette-mvn.log" 2>&1; then
  port=$(free_port)
  mkdir -p "$work/moquette/config"
  printf 'port %s\nhost 127.0.0.1\nallow_anonymous true\npersistence_enabled false\n' "$port" \
    >"$work/moquette/config/moquette.conf"
  (cd "$work/moquette" && exec java -Dmoquette.path="$work/moquette" -cp "$(cat "$work/moquette.cp")" \
    io.moquette.broker.Server >"$work/moquette.log" 2>&1) &
  pids+=($!)
  wait_port "$port"
  load "$port" "Moquette $version" "$@" || echo "Moquette run failed (exit $?)"
else
  echo "Moquette $version could not be resolved; skipped:" >&2
  tail -5 "$work/moquette-mvn.log" >&2
fi
