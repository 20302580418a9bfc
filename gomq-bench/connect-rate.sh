#!/usr/bin/env bash
# Connects per second of one or more builds of the standalone jar, side by side in one run (the
# same machine load): for each round and each jar, a fresh broker on free loopback ports (data in
# a temp dir), a warm-up of COUNT connects, then COUNT measured connects with gomq-bench's
# `connections` tool, and the broker's CPU time (utime+stime from /proc) per connect.
#
#   mvn -q package -DskipTests -pl gomq-launcher,gomq-bench -am
#   cp gomq-launcher/target/gomq.jar /tmp/gomq-before.jar   # (on the old commit)
#   gomq-bench/connect-rate.sh 10000 /tmp/gomq-before.jar gomq-launcher/target/gomq.jar
#
# ROUNDS (default 2): rounds, jars alternating within each. BENCH: the tool's jar.
set -euo pipefail
COUNT=${1:?usage: connect-rate.sh COUNT JAR [JAR...]}; shift
ROUNDS=${ROUNDS:-2}
BENCH=${BENCH:-$(dirname "$0")/target/benchmarks.jar}

connections() { # PORT HTTP_PORT
    java -jar "$BENCH" connections --url "tcp://127.0.0.1:$1" --http "http://127.0.0.1:$2" --count "$COUNT" \
        --in-flight 1000 --settle PT1S --hold PT1S
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run_one() { # JAR
    local ports data pid t0 t1
    read -r -a ports < <(python3 -c 'import socket
s = [socket.socket() for _ in range(3)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
    data=$(mktemp -d)
    java -jar "$1" --bind 127.0.0.1 --port "${ports[0]}" --http-port "${ports[1]}" --ws-port "${ports[2]}" \
        --data-dir "$data" > "$data/broker.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do (echo > "/dev/tcp/127.0.0.1/${ports[1]}") 2>/dev/null && break; sleep 0.3; done
    connections "${ports[0]}" "${ports[1]}" > /dev/null 2>&1 || true # warm-up: JIT, pools
    t0=$(cpu_ticks "$pid")
    echo "== $1"
    connections "${ports[0]}" "${ports[1]}" 2>&1 | grep -E '^connections:' || true
    t1=$(cpu_ticks "$pid")
    echo "broker CPU $(( (t1 - t0) * 10 )) ms for $COUNT connects (with their close): $(( (t1 - t0) * 10000 / COUNT )) us each"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$data"
}

for _ in $(seq 1 "$ROUNDS"); do
    for jar in "$@"; do run_one "$jar"; done
done
