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


def kept_up(r):
    """A paced row's latency means something only if the broker delivered what was published."""
    return r["lost"] == 0 and r["delivered_per_s"] >= 0.99 * r["published_per_s"] > 0


def median_run(runs, rated):
    """The run a row reports: the median by p99 (paced rows) or by delivered msg/s."""
    key = (lambda x: x[2]["latency_p99_us"]) if rated else (lambda x: x[2]["delivered_per_s"])
    return sorted(runs, key=key)[len(runs) // 2]


def print_without_load(row, by_broker):
    """The idle and connections rows: their own figures, one run per broker."""
    print("## `%s`\n" % row)
    results = [(b, rss, cpu, r) for b, runs in by_broker.items() for rss, cpu, r in runs[:1]]
    if row.startswith("idle: "):
        print("| broker | CPU, % of a core | RSS MiB |")
        print("|---|---|---|")
        for b, _, _, r in results:
            print("| %s | %.2f | %.0f |" % (b, r["idleCpuPercent"], r["rssKb"] / 1024))
    elif "--churn" in row:
        print("| broker | connects/s | broker CPU per connect, us | tool CPU per connect, us | failed |")
        print("|---|---|---|---|---|")
        for b, _, _, r in results:
            n = max(1, r["connections"])
            print("| %s | %s | %.0f | %.0f | %s |" % (b, format(round(r["connectsPerSecond"]), ","),
                                                  r["brokerCpuMillisConnecting"] * 1000 / n, r["toolCpuMillis"] * 1000 / n,
                                                  r["failed"]))
    else:
        print("| broker | connections | connects/s | RSS per connection, KiB | CPU while they idle, % of a core | peak RSS MiB | failed |")
        print("|---|---|---|---|---|---|---|")
        for b, _, _, r in results:
            print("| %s | %s | %s | %.1f | %.2f | %.0f | %s |" % (
                b, format(r["connections"], ","), format(round(r["connectsPerSecond"]), ","), r["rssPerConnectionKb"],
                r["brokerCpuPercentIdle"], r["peakRssKb"] / 1024, r["failed"]))
    print()


def main(path, extra, pinning=""):
    rows = {}
    with open(path) as f:
        for line in f:
            row, broker, rss, cpu, js = line.rstrip("\n").split("\t", 4)
            rows.setdefault(row, {}).setdefault(broker, []).append((rss, cpu, json.loads(js)))
    print("# Benchmarks\n")
    print("Written by `gomq-bench/compare-brokers.sh` on %s UTC." % datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"))
    print("Machine: %s.\n" % machine())
    print("Every row ran against a freshly started broker, one broker at a time, with the load generator "
          "(HiveMQ client, 100-byte payloads unless the row says otherwise) on the same machine"
          + (" (extra arguments: `%s`)" % extra if extra.strip() else "")
          + ("; %s" % pinning if pinning else "") + ". "
          "Peak RSS is the broker process's VmHWM; load CPU is the load generator's own user+system time. "
          "Compare only figures of one run: the machine may be shared.\n")
    chosen = {}
    for row, by_broker in rows.items():
        if row.startswith(("idle: ", "connections: ")):
            print_without_load(row, by_broker)
            continue
        rated = "--rate" in row
        repeated = any(len(runs) > 1 for runs in by_broker.values())
        print("## `%s`\n" % row)
        print("| broker | delivered msg/s | published msg/s | p50 / p99 / p99.9 us | lost | peak RSS MiB | load CPU s |"
              + ((" p99 of each run, us |" if rated else " delivered msg/s of each run |") if repeated else ""))
        print("|---|---|---|---|---|---|---|" + ("---|" if repeated else ""))
        results = []
        for broker, runs in by_broker.items():
            _, cpu, r = median_run(runs, rated)
            rss = max(runs, key=lambda x: float(x[0]) if x[0].replace(".", "").isdigit() else -1)[0]  # the peak of any run
            results.append((broker, r))
            figure = "latency_p99_us" if rated else "delivered_per_s"
            each = " %s |" % ", ".join(format(x[2][figure], ",") for x in runs) if repeated else ""
            print("| %s | %s | %s | %s / %s / %s | %s | %s | %s |%s" % (
                broker, format(r["delivered_per_s"], ","), format(r["published_per_s"], ","),
                format(r["latency_p50_us"], ","), format(r["latency_p99_us"], ","), format(r["latency_p999_us"], ","),
                r["lost"], rss, cpu, each))
        chosen[row] = dict(results)
        if repeated:
            n = max(len(v) for v in by_broker.values())
            if rated:
                print("\nEach broker's median run of %d (by p99)." % n)
            else:
                print("\nThe two GoMQ-J builds' median run of %d (by delivered msg/s); the peers ran once." % n)
        print()
        gomq = chosen[row].get("gomq")
        peers = [(b, r) for b, r in results if not b.startswith("gomq")]
        standalone = chosen.get(row[len("cluster: "):], {}).get("gomq")
        if row.startswith("cluster: ") and gomq and standalone:
            ratio = gomq["delivered_per_s"] / max(1, standalone["delivered_per_s"])
            print("Replicated (leader + 2 members, min-insync all) against standalone `%s`: %.2fx\n"
                  % (row[len("cluster: "):], ratio))
        elif gomq and peers and rated:
            keeping_up = [(b, r) for b, r in peers if kept_up(r)]
            if keeping_up:
                best, br = min(keeping_up, key=lambda p: p[1]["latency_p99_us"])
                ratio = br["latency_p99_us"] / max(1, gomq["latency_p99_us"])
                print("GoMQ-J's p99 against the best peer's (%s): %.2fx (above 1: GoMQ-J lower)" % (best, ratio))
            others = sorted(b for b, r in peers if not kept_up(r))
            if others:
                print("%s did not deliver what was published (lost, or below 99 %%): not compared."
                      % ", ".join(others))
            print()
        elif gomq and peers:
            best, br = max(peers, key=lambda p: p[1]["delivered_per_s"])
            ratio = gomq["delivered_per_s"] / max(1, br["delivered_per_s"])
            print("GoMQ-J delivered %.2fx the best peer's rate (%s)" % (ratio, best))
            losing = sorted(b for b, r in peers if r["lost"] > 0)
            if losing:  # QoS 0 allows it; the rate then counts only what arrived
                print("%s lost messages in this row (a broker may drop QoS 0; the delivered rate counts what arrived)."
                      % ", ".join(losing))
            print()
        baseline = chosen[row].get("gomq-baseline")
        if gomq and baseline:
            if rated:
                print("This build against gomq-baseline: p99 %s against %s us\n" % (
                    format(gomq["latency_p99_us"], ","), format(baseline["latency_p99_us"], ",")))
            else:
                print("This build against gomq-baseline: %.2fx the delivered rate\n"
                      % (gomq["delivered_per_s"] / max(1, baseline["delivered_per_s"])))


def first_run_kept_up(path, row, broker):
    """Whether BROKER's first run of ROW in the results file kept up (compare-brokers asks before repeating it)."""
    with open(path) as f:
        for line in f:
            r, b, _, _, js = line.rstrip("\n").split("\t", 4)
            if r == row and b == broker:
                return kept_up(json.loads(js))
    return False


if __name__ == "__main__":
    if sys.argv[1] == "--kept-up":  # --kept-up RESULTS ROW BROKER: exit 0 if it did
        sys.exit(0 if first_run_kept_up(*sys.argv[2:5]) else 1)
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "", sys.argv[3] if len(sys.argv) > 3 else "")
