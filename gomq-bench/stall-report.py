#!/usr/bin/env python3
"""Where a latency tail came from: the stalls in a load generator's --latency-log, and, given a
kernel scheduler trace of the same interval, what ran on each core while deliveries waited.

    stall-report.py LATENCY_LOG [SCHED_TRACE] [--over-us 1000] [--broker-tids FILE]

A stall is a run of deliveries each later than --over-us, less than 3 ms apart; it began when
its latest delivery was sent (received at minus latency) and ended with its last delivery. The
trace is the text of /sys/kernel/tracing/trace with sched:sched_switch on and trace_clock mono
(the clock System.nanoTime reads, so the two line up). compare-brokers.sh STALLS=1 records both.

Prints the tail's shape (deliveries late, in how many stalls) and, with a trace, for each core the
milliseconds each thread held it inside stalls, summed over all stalls, the broker's own threads
(--broker-tids) marked: who the broker waited for. A core whose trace holds no switch out of idle
(seen on a 2-core virtual machine, for one of its cores) reports "idle or untraced": what ran
there after an idle stretch, up to its next switch, is not in the trace.
"""
import argparse
import bisect
import collections
import re
import sys

SWITCH = re.compile(r'\[(\d+)\]\s+\S+\s+([\d.]+): sched_switch: prev_comm=.*? prev_pid=(\d+) .*?'
                    r'==> next_comm=(.*?) next_pid=(\d+)')


def read_log(path):
    measured_from, deliveries = None, []
    with open(path) as f:
        for line in f:
            if line.startswith('# measured_from_nanos'):
                measured_from = int(line.split()[2])
            elif not line.startswith('#'):
                _, received, latency = line.split()
                deliveries.append((int(received), int(latency)))
    deliveries.sort()
    return measured_from, deliveries


def stalls_in(deliveries, over_ns, gap_ns=3_000_000):
    """[(start, end, deliveries, worst latency)], start = when the worst one was sent."""
    out, cur = [], None
    for received, latency in deliveries:
        if latency <= over_ns:
            continue
        if cur and received - cur[1] < gap_ns:
            cur[1] = received
            cur[2] += 1
            cur[3] = max(cur[3], latency)
        else:
            cur = [received, received, 1, latency]
            out.append(cur)
    return [(first - worst, last, n, worst) for first, last, n, worst in out]


def read_trace(path):
    """Per core: (start_ns, end_ns, (comm, pid)) for each stretch a thread ran; and the cores whose
    trace shows a switch out of idle."""
    runs, last, leaves_idle = collections.defaultdict(list), {}, set()
    with open(path, errors='replace') as f:
        for line in f:
            m = SWITCH.search(line)
            if not m:
                continue
            cpu, at = int(m.group(1)), round(float(m.group(2)) * 1e9)
            if cpu in last:
                runs[cpu].append((last[cpu][0], at, last[cpu][1]))
            if m.group(3) == '0':
                leaves_idle.add(cpu)
            last[cpu] = (at, (m.group(4).strip(), int(m.group(5))))
    return runs, leaves_idle


def who_ran(runs, starts, a, b):
    held = collections.Counter()
    i = max(0, bisect.bisect_left(starts, a) - 1)
    while i < len(runs) and runs[i][0] < b:
        s, e, who = runs[i]
        overlap = min(e, b) - max(s, a)
        if overlap > 0:
            held[who] += overlap
        i += 1
    return held


def percentile(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))] if sorted_values else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('log')
    p.add_argument('trace', nargs='?')
    p.add_argument('--over-us', type=int, default=1000)
    p.add_argument('--broker-tids', help='a file of the broker\'s thread ids, one per line (its threads are marked)')
    a = p.parse_args()
    measured_from, deliveries = read_log(a.log)
    if not deliveries:
        sys.exit(f'{a.log}: no deliveries')
    lat = sorted(d[1] for d in deliveries)
    stalls = stalls_in(deliveries, a.over_us * 1000)
    late = sum(1 for v in lat if v > a.over_us * 1000)
    in_stalls = sum(s[2] for s in stalls)
    print(f'{len(lat):,} deliveries: p50 {percentile(lat, .5) / 1e3:.0f} us, p99 {percentile(lat, .99) / 1e3:.0f} us, '
          f'p99.9 {percentile(lat, .999) / 1e3:.0f} us; {late:,} later than {a.over_us} us '
          f'({100 * late / len(lat):.2f} %) in {len(stalls)} stalls')
    big = sorted(stalls, key=lambda s: -s[2])[:5]
    origin = measured_from or deliveries[0][0]
    print('largest stalls (s into the run, worst ms, deliveries): ' +
          ', '.join(f'{(s[0] - origin) / 1e9:.3f} {s[3] / 1e6:.1f} {s[2]}' for s in big))
    if not a.trace:
        return
    runs, leaves_idle = read_trace(a.trace)
    if not runs:
        sys.exit(f'{a.trace}: no sched_switch events (is sched:sched_switch on, trace_clock mono?)')
    broker = set()
    if a.broker_tids:
        with open(a.broker_tids) as f:
            broker = {int(t) for t in f.read().split()}
    print(f'inside the stalls ({sum(s[1] - s[0] for s in stalls) / 1e6:.1f} ms in all), who held each core, ms:')
    for cpu in sorted(runs):
        idle_name = 'idle' if cpu in leaves_idle else 'idle or untraced'
        starts = [r[0] for r in runs[cpu]]
        held = collections.Counter()
        for s in stalls:
            held.update(who_ran(runs[cpu], starts, s[0], s[1]))
        by_name = collections.Counter()
        for (comm, pid), ns in held.items():
            name = re.sub(r'[-_ ]?\d+$', '', comm) or comm
            if pid == 0:
                name = idle_name
            elif pid in broker:
                name = 'broker: ' + name
            by_name[name] += ns
        print(f'  core {cpu}: ' + ', '.join(f'{n} {ns / 1e6:.1f}' for n, ns in by_name.most_common(8)))


if __name__ == '__main__':
    main()
