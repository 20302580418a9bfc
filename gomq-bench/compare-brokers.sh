#!/usr/bin/env bash
# Runs the same network load (gomq-bench's load generator) against GoMQ's standalone jar,
# Mosquitto, Moquette, ActiveMQ Artemis, NATS (JetStream + MQTT) and RabbitMQ (rabbitmq_mqtt),
# a freshly started broker per row, on free loopback ports, and writes BENCHMARKS.md: the date,
# the machine, per row each broker's delivered and published msg/s, latency, its peak RSS and the
# load generator's own CPU, and GoMQ-J's ratio to the best peer.
#
#   mvn -q package -DskipTests && gomq-bench/compare-brokers.sh
#   ROWS='--qos 0;--qos 1' BROKERS=gomq,nats gomq-bench/compare-brokers.sh --duration PT5S
#
# ROWS: load generator arguments per row, ';' between rows (default: the rows below). Extra
# arguments go to every row. BROKERS: which brokers (default all; one that is not installed is
# skipped with a note). OUT: the report (default BENCHMARKS.md at the repository's root).
# BASELINE_JAR=path/to/other/gomq.jar adds the broker gomq-baseline (name it in BROKERS): an
# older build measured beside this one in the same run.
# PIN=rated (the default) pins every broker (and whatever it starts) to core 0 and the load
# generator to core 1 with taskset in the rows paced with --rate at up to PIN_MAX_RATE (20000) msg/s
# in all, the same for every broker: on a 2-core machine they then stop taking each other's core,
# which otherwise shows up in the latency tail. Faster rows and the throughput rows let both use
# both cores: the load generator on one core cannot pace 50,000 msg/s (its own queueing would be
# the tail). PIN=1 pins every row, PIN=0 none. The report
# says which. REPEAT (default 3): each --rate row runs that many times, the brokers taking turns
# (each round begins with the next one, so none is always first after the row before), and the
# report gives each broker's median run (a latency tail on a shared machine varies by 2x from run
# to run) with every run's p99 beside it. With a baseline, the unpaced load rows (the fsync and
# cluster ones too) run REPEAT times for gomq and gomq-baseline (taking turns; the peers once): a
# single throughput run varies by 10 to 15 % here, an fsync'd one by up to 30 % (the virtual disk),
# as much as the regressions the baseline is there to catch, and the report compares the two
# builds' median runs. REPEAT_PINNED (5, or REPEAT when that is 1 or above 5): the same for the rows
# paced on pinned cores (PIN=rated: up to PIN_MAX_RATE msg/s), where the latency comparison is
# made: there the brokers' p99 differ by less than a median of three moves from run to run (three
# runs each of one row, 20,000 msg/s, gave GoMQ-J 0.76x and 1.80x NATS's p99 in two full runs, five
# runs each 1.10x).
#
# STALLS=DIR: where the tail of each run paced with --rate came from. The load generator logs
# every measured delivery (--latency-log) and, where the kernel's tracefs can be written (root),
# the scheduler's switches on every core are traced over the measured interval; DIR/<broker>-<n>/
# keeps both and stall-report.py's summary, which is printed too: how many deliveries were late,
# in how many stalls, and what held each core meanwhile (the broker's own threads marked). The
# trace costs the machine little but is not free: leave it off for the figures in BENCHMARKS.md.
#
# A row may start with a mode, "MODE: ARGS":
#   fsync:   each broker with every acknowledged message forced to disk before its acknowledgement
#            (GoMQ --durability fsync; Artemis's default journal). Brokers that cannot promise that
#            (Mosquitto, NATS 2.9, RabbitMQ's MQTT, Moquette here) are skipped with a note.
#   cluster: GoMQ as leader + 2 members on one etcd (--min-insync all: a PUBACK once all three hold
#            the message); the report gives its ratio to the standalone row with the same ARGS.
#   idle:    no client: the broker's CPU and RSS over ARGS' --seconds (default 30) after --settle (5).
#   connections: gomq-bench's `connections` tool with ARGS instead of the load generator: idle
#            connections held (RSS per connection, CPU while they idle, connects/s), or with
#            --churn connects and disconnects (connects/s, broker CPU per connect). The churn row
#            warms up with 60,000 connects: after 30,000 the tool's own JIT was still compiling
#            (it took 170 us per connect then, 125 us after 60,000), with every broker alike.
#
# Each broker runs on its best honest settings for these rows: no persistence of clean
# sessions' messages where the broker has the choice (GoMQ logs only retained messages and
# persistent sessions' QoS 1/2), 64 messages in flight per client, no per-client queue limit
# that would drop acknowledged QoS 1 messages. GoMQ starts with the README's command (its
# default --memory 256m); Artemis with its own create defaults (journal on, its -Xmx);
# NATS 2.9 needs JetStream for MQTT; RabbitMQ with the MQTT plugin and its defaults.
# Needs: mosquitto, nats-server, rabbitmq-server (apt-get install ...); Moquette and Artemis
# come from Maven Central.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=gomq-bench/target/benchmarks.jar
GOMQ=gomq-launcher/target/gomq.jar
BASELINE_JAR=${BASELINE_JAR:-}
PIN=${PIN:-rated}
PIN_MAX_RATE=${PIN_MAX_RATE:-20000}
REPEAT=${REPEAT:-3}
REPEAT_PINNED=${REPEAT_PINNED:-$((REPEAT > 1 && REPEAT < 5 ? 5 : REPEAT))}
ARTEMIS_VERSION=${ARTEMIS_VERSION:-2.40.0}
OUT=${OUT:-BENCHMARKS.md}
STALLS=${STALLS:-}
BROKERS=${BROKERS:-gomq,mosquitto,moquette,artemis,nats,rabbitmq}
DEFAULT_ROWS='--qos 0;--qos 1;--qos 0 --subscribers 4;--qos 1 --persistent-subscribers'
DEFAULT_ROWS+=';fsync: --qos 1 --persistent-subscribers;cluster: --qos 1 --persistent-subscribers'
DEFAULT_ROWS+=';--qos 0 --rate 5000 --publishers 4;--qos 0 --rate 12500 --publishers 4;--qos 0 --rate 25000 --publishers 4'
DEFAULT_ROWS+=';idle: --seconds 30;connections: --count 18000 --keep-alive 60 --hold PT20S'
DEFAULT_ROWS+=';connections: --churn --count 60000 --warm-up 60000 --in-flight 500'
ROWS=${ROWS:-$DEFAULT_ROWS}
for f in "$BENCH" "$GOMQ"; do
  [[ -f $f ]] || { echo "missing $f: run mvn -q package -DskipTests first" >&2; exit 2; }
done

work=$(mktemp -d)
results="$work/results.tsv"
: >"$results"
broker_pid=""
epmd_port=""
mode=""           # the row's mode: "", fsync or cluster
extra_pids=()     # a cluster's members, stopped with the broker
etcd_pid=""       # the cluster's etcd, stopped after its nodes
cleanup() {
  stop_broker
  [[ -z $STALLS ]] || stalls_trace off
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_port() {
  for _ in $(seq 1 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on $1" >&2
  return 1
}

# The process whose memory counts: the broker itself, not a wrapper script (Artemis, RabbitMQ).
main_pid() {
  local p=$1 c
  for _ in 1 2 3 4; do
    case $(cat "/proc/$p/comm" 2>/dev/null) in
      java|beam.smp|mosquitto|nats-server) echo "$p"; return ;;
    esac
    c=$(pgrep -P "$p" | head -1) || true
    [[ -n $c ]] || break
    p=$c
  done
  echo "$1"
}

stop_broker() {
  local p
  for p in "${extra_pids[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${extra_pids[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  extra_pids=()
  if [[ -n $broker_pid ]]; then
    pkill -TERM -P "$broker_pid" 2>/dev/null || true
    kill "$broker_pid" 2>/dev/null || true
    wait "$broker_pid" 2>/dev/null || true
    broker_pid=""
  fi
  if [[ -n $etcd_pid ]]; then
    kill "$etcd_pid" 2>/dev/null || true
    wait "$etcd_pid" 2>/dev/null || true
    etcd_pid=""
  fi
  if [[ -n $epmd_port ]]; then
    epmd -port "$epmd_port" -kill >/dev/null 2>&1 || true
    epmd_port=""
  fi
}

# the row's mode: a broker that cannot run it prints why and returns 4 (skipped, the reason given)
needs_mode() {
  [[ -z $mode || $mode == idle || $mode == connections ]] && return 0
  local why=$2
  [[ $mode == cluster ]] && why="the cluster row measures GoMQ's replication against its standalone row"
  echo "$1: no $mode row ($why); skipped" >&2
  return 4
}

# start_BROKER PORT DIR: starts it in the background (its pid in broker_pid), returns once it listens.
start_gomq() {
  start_gomq_jar "$GOMQ" "$@"
}

start_gomq-baseline() {
  [[ -n $BASELINE_JAR && -f $BASELINE_JAR ]] || return 3
  start_gomq_jar "$BASELINE_JAR" "$@"
}

start_gomq_jar() {
  local jar=$1
  shift
  local args=(--bind 127.0.0.1 --ws-port off --max-inflight 64)
  case $mode in
    fsync) args+=(--durability fsync) ;;
    cluster) start_gomq_cluster "$jar" "$1" "$2" "${args[@]}"; return ;;
  esac
  java -jar "$jar" "${args[@]}" --port "$1" --http-port 0 --data-dir "$2/data" >"$2/broker.log" 2>&1 &
  broker_pid=$!
}

# etcd and three nodes; the first becomes the leader (on PORT, the one the load generator uses)
# before the others start, and the row starts once all three are in sync (/cluster lists the leader too).
start_gomq_cluster() {
  local jar=$1 port=$2 dir=$3
  shift 3
  command -v etcd >/dev/null || { echo "gomq: cluster needs etcd (apt-get install etcd-server)" >&2; return 3; }
  local client peer http i
  client=$(free_port); peer=$(free_port)
  etcd --data-dir "$dir/etcd" --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "default=http://127.0.0.1:$peer" >"$dir/etcd.log" 2>&1 &
  etcd_pid=$!
  wait_port "$client" || return 1
  http=$(free_port)
  java -jar "$jar" "$@" --port "$port" --http-port "$http" --data-dir "$dir/n1" --etcd "http://127.0.0.1:$client" \
    --node-id n1 --min-insync all >"$dir/broker.log" 2>&1 &
  broker_pid=$!
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$http/health" 2>/dev/null | grep -q '"role":"leader"' && break
    kill -0 "$broker_pid" 2>/dev/null || { tail -3 "$dir/broker.log" >&2; return 1; }
    sleep 0.1
  done
  for i in 2 3; do
    java -jar "$jar" "$@" --port "$(free_port)" --data-dir "$dir/n$i" --etcd "http://127.0.0.1:$client" \
      --http-port 0 --node-id "n$i" --min-insync all >"$dir/n$i.log" 2>&1 &
    extra_pids+=($!)
  done
  for _ in $(seq 1 1200); do
    [[ $(curl -sf "http://127.0.0.1:$http/cluster" 2>/dev/null | grep -o '"inSync":true' | wc -l) -ge 3 ]] && return 0
    sleep 0.1
  done
  echo "gomq: the members did not get in sync" >&2
  return 1
}

start_mosquitto() {
  needs_mode mosquitto "its persistence is a periodic snapshot, not a forced write per message" || return 4
  command -v mosquitto >/dev/null || return 3
  # max_queued_messages 0: unlimited; with a limit it drops QoS 1 messages it acknowledged
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_inflight_messages 64\nmax_queued_messages 0\n' \
    "$1" >"$2/mosquitto.conf"
  mosquitto -c "$2/mosquitto.conf" >"$2/broker.log" 2>&1 &
  broker_pid=$!
}

moquette_cp=""
start_moquette() {
  needs_mode moquette "run here without persistence" || return 4
  if [[ -z $moquette_cp ]]; then
    local version
    version=$(sed -n 's:.*<moquette.version>\(.*\)</moquette.version>.*:\1:p' pom.xml)
    mvn -q -f gomq-bench/moquette/pom.xml dependency:build-classpath -Dmoquette.version="$version" \
      -Dmdep.outputFile="$work/moquette.cp" >"$work/moquette-mvn.log" 2>&1 || return 3
    moquette_cp=$(cat "$work/moquette.cp")
  fi
  mkdir -p "$2/config"
  printf 'port %s\nhost 127.0.0.1\nallow_anonymous true\npersistence_enabled false\n' "$1" >"$2/config/moquette.conf"
  (cd "$2" && exec java -Dmoquette.path="$2" -cp "$moquette_cp" io.moquette.broker.Server >"$2/broker.log" 2>&1) &
  broker_pid=$!
}

artemis_home=""
start_artemis() {
  [[ $mode == cluster ]] && { needs_mode artemis ""; return 4; }
  if [[ -z $artemis_home ]]; then
    local tgz=~/.m2/repository/org/apache/activemq/apache-artemis/$ARTEMIS_VERSION/apache-artemis-$ARTEMIS_VERSION-bin.tar.gz
    if [[ ! -f $tgz ]]; then
      mvn -q -B dependency:get -Dartifact="org.apache.activemq:apache-artemis:$ARTEMIS_VERSION:tar.gz:bin" \
        -Dtransitive=false >"$work/artemis-mvn.log" 2>&1 || return 3
    fi
    tar xzf "$tgz" -C "$work"
    artemis_home="$work/apache-artemis-$ARTEMIS_VERSION"
  fi
  # its own defaults (a persistent journal, fsync'd, autotuned to the disk); anonymous MQTT only
  "$artemis_home/bin/artemis" create "$2/instance" --user bench --password bench --allow-anonymous --silent \
    --no-web --no-amqp-acceptor --no-hornetq-acceptor --no-stomp-acceptor \
    --host 127.0.0.1 >"$2/create.log" 2>&1 || return 3
  sed -i "s#tcp://127.0.0.1:1883#tcp://127.0.0.1:$1#; s#tcp://0.0.0.0:1883#tcp://127.0.0.1:$1#" "$2/instance/etc/broker.xml"
  sed -i "s#tcp://127.0.0.1:61616#tcp://127.0.0.1:$(free_port)#" "$2/instance/etc/broker.xml"
  "$2/instance/bin/artemis" run >"$2/broker.log" 2>&1 &
  broker_pid=$!
}

start_nats() {
  needs_mode nats "NATS 2.9's JetStream syncs to disk every 2 minutes, not per message" || return 4
  command -v nats-server >/dev/null || return 3
  # NATS 2.9's MQTT needs JetStream (its sessions and QoS 1 live in streams); server_name is required
  cat >"$2/nats.conf" <<EOF
server_name: bench
listen: 127.0.0.1:$(free_port)
jetstream { store_dir: "$2/js" }
mqtt { listen: 127.0.0.1:$1 }
EOF
  nats-server -c "$2/nats.conf" >"$2/broker.log" 2>&1 &
  broker_pid=$!
}

start_rabbitmq() {
  needs_mode rabbitmq "its MQTT plugin's queues are not forced to disk per message" || return 4
  command -v rabbitmq-server >/dev/null || return 3
  # its own epmd on a free port, stopped with the broker (stop_broker)
  epmd_port=$(free_port)
  local env=(ERL_EPMD_PORT="$epmd_port" RABBITMQ_NODENAME="bench$1@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$(free_port)"
    RABBITMQ_DIST_PORT="$(free_port)" RABBITMQ_MNESIA_BASE="$2/mnesia" RABBITMQ_LOG_BASE="$2/log"
    RABBITMQ_ENABLED_PLUGINS_FILE="$2/enabled_plugins" RABBITMQ_CONFIG_FILE="$2/rabbitmq"
    RABBITMQ_PID_FILE="$2/rabbit.pid" HOME="$2")
  echo '[rabbitmq_mqtt].' >"$2/enabled_plugins"
  printf 'mqtt.listeners.tcp.default = 127.0.0.1:%s\nmqtt.allow_anonymous = true\nloopback_users = none\nlisteners.tcp = none\n' \
    "$1" >"$2/rabbitmq.conf"
  env "${env[@]}" /usr/lib/rabbitmq/bin/rabbitmq-server >"$2/broker.log" 2>&1 &
  broker_pid=$!
}

# idle: the broker's CPU (% of a core, from /proc) and RSS over ROW's --seconds with no client,
# after --settle seconds; one JSON line
idle_figures() {
  local pid=$1 settle=5 seconds=30 a
  read -r -a a <<<"$2"
  for i in "${!a[@]}"; do
    [[ ${a[$i]} == --settle ]] && settle=${a[$((i + 1))]}
    [[ ${a[$i]} == --seconds ]] && seconds=${a[$((i + 1))]}
  done
  sleep "$settle"
  local t0 t1
  t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  sleep "$seconds"
  t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  awk -v t="$((t1 - t0))" -v s="$seconds" -v hz="$(getconf CLK_TCK)" '/VmRSS/ {
    printf "{\"idleCpuPercent\": %.2f, \"rssKb\": %d, \"idleSeconds\": %d}\n", t * 100 / hz / s, $2, s }' "/proc/$pid/status"
}

# STALLS: the scheduler trace. setup: the trace's clock (the monotonic one the latency log uses)
# and buffers; arm: cleared, switched on once the warm-up is over; off: switched off.
TRACEFS=/sys/kernel/tracing
trace_armer=""
stalls_trace() {
  [[ -w $TRACEFS/trace ]] || return 0
  case $1 in
    setup)
      echo mono >"$TRACEFS/trace_clock"
      echo 65536 >"$TRACEFS/buffer_size_kb"
      echo 1 >"$TRACEFS/events/sched/sched_switch/enable" ;;
    arm)
      echo 0 >"$TRACEFS/tracing_on"
      : >"$TRACEFS/trace"
      local seconds=0
      [[ ${warmup[1]:-} =~ ^PT([0-9]+)S$ ]] && seconds=${BASH_REMATCH[1]}
      (sleep "$seconds" && echo 1 >"$TRACEFS/tracing_on") &
      trace_armer=$! ;;
    off)
      [[ -z $trace_armer ]] || kill "$trace_armer" 2>/dev/null || true
      trace_armer=""
      echo 0 >"$TRACEFS/tracing_on" ;;
  esac
}

# STALLS: keeps a paced run's latency log and trace in $STALLS/BROKER-N and prints its stall report
stalls_report() {
  local broker=$1 dir=$2 pid=$3 keep n=1 trace=()
  while [[ -e $STALLS/$broker-$n ]]; do n=$((n + 1)); done
  keep=$STALLS/$broker-$n
  mkdir -p "$keep"
  mv "$dir/latency.txt" "$keep/" 2>/dev/null || { echo "  (no latency log)"; return 0; }
  if [[ -w $TRACEFS/trace ]]; then
    stalls_trace off
    cp "$TRACEFS/trace" "$keep/sched.trace"
    ls "/proc/$pid/task" >"$keep/broker.tids" 2>/dev/null || true
    trace=("$keep/sched.trace" --broker-tids "$keep/broker.tids")
  fi
  python3 gomq-bench/stall-report.py "$keep/latency.txt" "${trace[@]}" | tee "$keep/report.txt" | sed 's/^/  /'
}

# Before each run: what the previous broker left (its files deleted, pages written back, a
# cluster's three JVMs and etcd exiting) must not take CPU from the next run, whoever runs it.
# Waits, up to 30 s, for a second in which the machine's cores were at least 90 % idle.
settle() {
  sync
  local waited=0 busy
  while [[ $waited -lt 30 ]]; do
    busy=$( { head -1 /proc/stat; sleep 1; head -1 /proc/stat; } | awk '
      { idle = $5 + $6; total = 0; for (i = 2; i <= NF; i++) total += $i }
      NR == 1 { i0 = idle; t0 = total } NR == 2 { printf "%d", 100 * (1 - (idle - i0) / (total - t0)) }')
    waited=$((waited + 1))
    [[ $busy -lt 10 ]] && break
  done
  [[ $waited -le 2 ]] || echo "  (waited ${waited} s for the machine to settle; ${busy} % busy at the last second)"
}

TIMEFORMAT='%U %S'
run_row() {
  local row=$1 broker=$2 port dir
  mode=""
  if [[ $row =~ ^([a-z]+):\ (.*)$ ]]; then
    mode=${BASH_REMATCH[1]}
    row=${BASH_REMATCH[2]}
  fi
  port=$(free_port)
  dir="$work/$broker-$(date +%s%N)"
  mkdir -p "$dir"
  settle
  local started=0
  "start_$broker" "$port" "$dir" || started=$?
  if [[ $started != 0 ]]; then
    [[ $started == 4 ]] || echo "$broker: not available here; skipped" >&2
    return 0
  fi
  if ! wait_port "$port"; then
    echo "$broker did not start:" >&2
    tail -5 "$dir/broker.log" >&2
    stop_broker
    return 0
  fi
  local pid json cpu
  pid=$(main_pid "$broker_pid")
  case $mode in
    idle) json=$(idle_figures "$pid" "$row") ;;
    connections)
      # shellcheck disable=SC2086
      { time java -jar "$BENCH" connections --url "tcp://127.0.0.1:$port" --pid "$pid" --json $row \
          >"$dir/load.out" 2>"$dir/load.err"; } 2>"$dir/load.time" || echo "$broker: the connections run failed" >&2 ;;
    *)
      local stalls=()
      [[ -n $STALLS && $row == *--rate* ]] && stalls=(--latency-log "$dir/latency.txt") && stalls_trace arm
      # shellcheck disable=SC2086
      { time "${load_cpu[@]}" java -jar "$BENCH" load --url "tcp://127.0.0.1:$port" --label "$broker" --json "${warmup[@]}" $row "${stalls[@]}" "${extra[@]}" \
          >"$dir/load.out" 2>"$dir/load.err"; } 2>"$dir/load.time" || echo "$broker: the load run failed (see below)" >&2
      [[ ${#stalls[@]} == 0 ]] || stalls_report "$broker" "$dir" "$pid" ;;
  esac
  if [[ $mode != idle ]]; then
    grep -v '^{' "$dir/load.out" | grep -v WARN || true
    json=$(grep '^{' "$dir/load.out" | tail -1 || true)
  fi
  cpu=$(awk '{printf "%.1f", $1 + $2}' "$dir/load.time" 2>/dev/null || echo "-")
  local hwm
  hwm=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status" 2>/dev/null || echo "?")
  stop_broker
  [[ -n $json ]] && printf '%s\t%s\t%s\t%s\t%s\n' "${mode:+$mode: }$row" "$broker" "$hwm" "$cpu" "$json" >>"$results"
  return 0
}

# a JVM broker needs its JIT warm: 10 s unless the caller says otherwise, 30 s in the rows paced
# with --rate: there the broker has one core, and a JIT still compiling on it 10 s in (up to 0.6 s
# of that core in a 10 s window here) was the latency tail, not anything a broker that has run
# for a minute shows; and 30 s in the cluster row: three JVMs compile on the two cores beside the
# load generator, and 10 s in the leader's C2 thread still took a fifth of the leader's CPU samples
# (46-53 k msg/s after 10 s, 65-71 k after 30 s; the standalone row gained nothing from 30 s)
warmup_for() {
  if [[ $own_warmup == 1 ]]; then warmup=()
  elif [[ $1 == *--rate* || $1 == cluster:* ]]; then warmup=(--warmup PT30S)
  else warmup=(--warmup PT10S); fi
}
extra=("$@")
own_warmup=0 # the caller's --warmup wins
for a in "$@"; do [[ $a == --warmup* ]] && own_warmup=1; done

pinning=""
case $PIN in
  1) pinning="every broker pinned to core 0, the load generator to core 1 (PIN=1)" ;;
  rated) pinning="in the rows paced at up to $PIN_MAX_RATE msg/s every broker pinned to core 0 and the load generator to core 1; the other rows unpinned: one core cannot pace more (PIN=rated)" ;;
  0) ;;
  *) echo "PIN is 0, 1 or rated, not $PIN" >&2; exit 2 ;;
esac
[[ $own_warmup == 1 ]] || pinning+="${pinning:+; }every broker warmed up for 10 s before a row is measured, 30 s in the rows with --rate and the cluster row"
[[ $REPEAT -gt 1 ]] && pinning+="${pinning:+; }each row with --rate ran $REPEAT times, brokers taking turns, a broker that did not keep up in its first run only once (REPEAT=$REPEAT)"
[[ $REPEAT_PINNED != "$REPEAT" && $PIN != 0 ]] && pinning+="; the rows paced on pinned cores $REPEAT_PINNED times (REPEAT_PINNED=$REPEAT_PINNED)"
has_baseline=0
[[ ,$BROKERS, == *,gomq-baseline,* ]] && has_baseline=1
[[ $REPEAT -gt 1 && $has_baseline == 1 ]] && pinning+="; the unpaced load rows (fsync and cluster too) ran $REPEAT times for gomq and gomq-baseline, taking turns, the peers once"

# the total msg/s a row paces (--rate per publisher times --publishers, default 4), 0 when unpaced
paced_rate() {
  local rate=0 publishers=4 args i
  read -r -a args <<<"$1"
  for ((i = 0; i < ${#args[@]}; i++)); do
    case ${args[i]} in
      --rate) rate=${args[i + 1]} ;;
      --publishers) publishers=${args[i + 1]} ;;
    esac
  done
  echo $((rate * publishers))
}

# PIN: this shell, so every broker it starts, on core 0, the load generator on core 1; or both on either core
pin_for() {
  load_cpu=()
  local rate
  rate=$(paced_rate "$1")
  if [[ $PIN == 1 || ($PIN == rated && $rate -gt 0 && $rate -le $PIN_MAX_RATE) ]]; then
    taskset -p -c 0 $$ >/dev/null
    load_cpu=(taskset -c 1)
  elif [[ $PIN != 0 ]]; then
    taskset -p -c "0-$(($(nproc --all) - 1))" $$ >/dev/null
  fi
}

# whether BROKER's first run of ROW delivered what was published (else its latency is not compared)
kept_up() {
  python3 gomq-bench/benchmarks-report.py --kept-up "$results" "$1" "$2"
}

if [[ -n $STALLS ]]; then
  mkdir -p "$STALLS"
  [[ -w $TRACEFS/trace ]] || mount -t tracefs nodev "$TRACEFS" 2>/dev/null || true
  [[ -w $TRACEFS/trace ]] || echo "STALLS: no writable $TRACEFS (root needed): latency logs only" >&2
  stalls_trace setup
fi

IFS=';' read -r -a rows <<<"$ROWS"
IFS=',' read -r -a brokers <<<"$BROKERS"
for row in "${rows[@]}"; do
  pin_for "$row"
  warmup_for "$row"
  rounds=1
  [[ $row == *--rate* || ($has_baseline == 1 && $row != idle:* && $row != connections:*) ]] && rounds=$REPEAT
  [[ $row == *--rate* && ${#load_cpu[@]} -gt 0 ]] && rounds=$REPEAT_PINNED # pin_for pinned this row
  for round in $(seq 1 "$rounds"); do
    # each round starts with the next broker: none is always the first after the row before
    k=$(((round - 1) % ${#brokers[@]}))
    for broker in "${brokers[@]:k}" "${brokers[@]:0:k}"; do
      if [[ $broker == gomq-baseline && ($row == *--rate* || $row == idle:* || $row == connections:*) ]]; then
        continue # the baseline is there to show no throughput row regressed
      fi
      if [[ $round -gt 1 && $row != *--rate* && $broker != gomq && $broker != gomq-baseline ]]; then
        continue # an unpaced row repeats only to compare the two builds
      fi
      if [[ $round -gt 1 && $row == *--rate* ]] && ! kept_up "$row" "$broker"; then
        echo "== $row: $broker did not keep up in run 1; not repeated"
        continue
      fi
      if [[ $rounds -gt 1 && ($row == *--rate* || $broker == gomq*) ]]; then
        echo "== $row: $broker (run $round of $rounds)"
      else
        echo "== $row: $broker"
      fi
      run_row "$row" "$broker"
    done
  done
done

python3 gomq-bench/benchmarks-report.py "$results" "${extra[*]:-}" "$pinning" >"$OUT"
echo "wrote $OUT"
