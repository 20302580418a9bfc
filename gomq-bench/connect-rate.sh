#!/usr/bin/env bash
# Connects per second of one or more builds of the standalone jar, side by side in one run (the
# same machine load): for each round and each jar, a fresh broker on free loopback ports (data in
# a temp dir), then gomq-bench's `connections --churn`: WARM connects to warm up the JIT of both
# processes, then COUNT measured ones, each CONNECT -> CONNACK -> DISCONNECT, at most IN_FLIGHT
# open at a time. It prints CONNACKs per second, the broker's CPU per connect (its whole process,
# from /proc) and the tool's own.
#
#   mvn -q package -DskipTests -pl gomq-launcher,gomq-bench -am
#   cp gomq-launcher/target/gomq.jar /tmp/gomq-before.jar   # (on the old commit)
#   gomq-bench/connect-rate.sh 30000 /tmp/gomq-before.jar gomq-launcher/target/gomq.jar mosquitto
#
# A JAR argument `mosquitto` runs Mosquitto (anonymous, loopback) with the same tool.
# ROUNDS (default 2): rounds, jars alternating within each. WARM (default COUNT), IN_FLIGHT
# (default 500). HOLD=1: the connections stay open instead (the tool's default mode; COUNT is then
# bounded by open files). BENCH: the tool's jar. BROKER_ARGS: more flags for every GoMQ broker
# (e.g. BROKER_ARGS='--io-threads 2' to measure another event-loop count).
set -euo pipefail
COUNT=${1:?usage: connect-rate.sh COUNT JAR|mosquitto [JAR...]}; shift
ROUNDS=${ROUNDS:-2}
WARM=${WARM:-$COUNT}
IN_FLIGHT=${IN_FLIGHT:-500}
BENCH=${BENCH:-$(dirname "$0")/target/benchmarks.jar}

connections() { # PORT (--http URL | --pid PID)
    local mode=(--churn)
    [ "${HOLD:-0}" = 1 ] && mode=(--settle PT1S --hold PT1S)
    java -jar "$BENCH" connections --url "tcp://127.0.0.1:$1" "$2" "$3" --count "$COUNT" --warm-up "$WARM" \
        --in-flight "$IN_FLIGHT" "${mode[@]}" 2>&1 | grep -vE '^  broker pid|^  broker CPU with' || true
}

free_ports() {
    python3 -c 'import socket
s = [socket.socket() for _ in range(3)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(*[x.getsockname()[1] for x in s])'
}

run_one() { # JAR
    local ports data pid
    read -r -a ports < <(free_ports)
    data=$(mktemp -d)
    echo "== $1 ($(cut -d' ' -f1-3 /proc/loadavg) load)"
    if [ "$1" = mosquitto ]; then
        printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "${ports[0]}" > "$data/mosquitto.conf"
        mosquitto -c "$data/mosquitto.conf" > "$data/broker.log" 2>&1 &
        pid=$!
        for _ in $(seq 1 100); do (echo > "/dev/tcp/127.0.0.1/${ports[0]}") 2>/dev/null && break; sleep 0.1; done
        connections "${ports[0]}" --pid "$pid"
    else
        java -jar "$1" --bind 127.0.0.1 --port "${ports[0]}" --http-port "${ports[1]}" --ws-port "${ports[2]}" \
            --data-dir "$data" ${BROKER_ARGS:-} > "$data/broker.log" 2>&1 &
        pid=$!
        for _ in $(seq 1 100); do (echo > "/dev/tcp/127.0.0.1/${ports[1]}") 2>/dev/null && break; sleep 0.3; done
        connections "${ports[0]}" --http "http://127.0.0.1:${ports[1]}"
    fi
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$data"
}

for _ in $(seq 1 "$ROUNDS"); do
    for jar in "$@"; do run_one "$jar"; done
done
