#!/usr/bin/env python3
"""BENCHMARKS.md from compare-brokers.sh's results: one TSV line per row and broker
(row arguments, broker, peak RSS MiB, load generator CPU s, the load generator's JSON line)."""
import datetime
import json
import os
import platform
import sys


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            mem = "%.0f GiB" % (int(f.readline().split()[1]) / 1024 / 1024)
    except OSError:
        pass
    load = " ".join("%.1f" % x for x in os.getloadavg())
    return "%s, %d cores, %s RAM, %s %s; load average at the end: %s" % (
        cpu, os.cpu_count(), mem, platform.system(), platform.release(), load)


def main(path, extra, pinning=""):
    rows = {}
    with open(path) as f:
        for line in f:
            row, broker, rss, cpu, js = line.rstrip("\n").split("\t", 4)
            rows.setdefault(row, []).append((broker, rss, cpu, json.loads(js)))
    print("# Benchmarks\n")
    print("Written by `gomq-bench/compare-brokers.sh` on %s UTC." % datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"))
    print("Machine: %s.\n" % machine())
    print("Every row ran against a freshly started broker, one broker at a time, with the load generator "
          "(HiveMQ client, 100-byte payloads unless the row says otherwise) on the same machine"
          + (" (extra arguments: `%s`)" % extra if extra.strip() else "")
          + ("; %s" % pinning if pinning else "") + ". "
          "Peak RSS is the broker process's VmHWM; load CPU is the load generator's own user+system time. "
          "Compare only figures of one run: the machine may be shared.\n")
    for row, results in rows.items():
        rated = "--rate" in row
        print("## `%s`\n" % row)
        print("| broker | delivered msg/s | published msg/s | p50 / p99 / p99.9 us | lost | peak RSS MiB | load CPU s |")
        print("|---|---|---|---|---|---|---|")
        for broker, rss, cpu, r in results:
            print("| %s | %s | %s | %s / %s / %s | %s | %s | %s |" % (
                broker, format(r["delivered_per_s"], ","), format(r["published_per_s"], ","),
                format(r["latency_p50_us"], ","), format(r["latency_p99_us"], ","), format(r["latency_p999_us"], ","),
                r["lost"], rss, cpu))
        gomq = [r for b, _, _, r in results if b == "gomq"]
        peers = [(b, r) for b, _, _, r in results if not b.startswith("gomq")]
        standalone = [r for b, _, _, r in rows.get(row[len("cluster: "):], []) if b == "gomq"]
        if row.startswith("cluster: ") and gomq and standalone:
            ratio = gomq[0]["delivered_per_s"] / max(1, standalone[0]["delivered_per_s"])
            print("\nReplicated (leader + 2 members, min-insync all) against standalone `%s`: %.2fx\n"
                  % (row[len("cluster: "):], ratio))
        elif gomq and peers:
            g = gomq[0]
            if rated:
                best, br = min(peers, key=lambda p: p[1]["latency_p99_us"])
                ratio = br["latency_p99_us"] / max(1, g["latency_p99_us"])
                print("\nGoMQ-J's p99 against the best peer's (%s): %.2fx (above 1: GoMQ-J lower)\n" % (best, ratio))
            else:
                best, br = max(peers, key=lambda p: p[1]["delivered_per_s"])
                ratio = g["delivered_per_s"] / max(1, br["delivered_per_s"])
                print("\nGoMQ-J delivered %.2fx the best peer's rate (%s)\n" % (ratio, best))
        else:
            print()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "", sys.argv[3] if len(sys.argv) > 3 else "")
