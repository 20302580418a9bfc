package io.gomq.launcher.reliability;

import io.gomq.launcher.testing.BrokerProcess;
import io.gomq.launcher.testing.RawMqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import static io.gomq.launcher.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soak: {@link MixedLoad} against the broker in a child JVM (small segments, retention and
 * compaction running) for {@code gomq.soak.minutes}, plus a few short-lived connections per
 * sample; every 10 s heap after a full GC, RSS, threads, open fds and the acknowledged and
 * delivered rates go to a CSV ({@code gomq.soak.csv}, default {@code target/soak/soak-TIME.csv}).
 * Flat means: after a warm-up tenth, the median of the last third is within a margin of the
 * median of the first third, for each resource and for the throughput. Run with
 * {@code mvn -B -Psoak test} ({@code -Dgomq.soak.minutes=N}, default 30); skipped otherwise.
 */
@EnabledIfSystemProperty(named = "gomq.soak.minutes", matches = "\\d+")
class SoakTest {
    private static final long SAMPLE_SECONDS = Long.getLong("gomq.soak.sampleSeconds", 10);
    private static final int RATE = 500; // per publisher and second
    private static final int CHURN_PER_SAMPLE = 5;

    @TempDir
    Path tmp;

    private record Row(long seconds, ProcessSample s, double ackedPerSecond, double deliveredPerSecond) {
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.HOURS) // the run ends by itself after gomq.soak.minutes
    void resourcesAndThroughputStayFlatUnderMixedLoad() throws Exception {
        long minutes = Long.getLong("gomq.soak.minutes");
        Path csv = Path.of(System.getProperty("gomq.soak.csv", "target/soak/soak-"
                + Instant.now().toString().replace(':', '-') + ".csv")).toAbsolutePath();
        Files.createDirectories(csv.getParent());
        List<Row> rows = new ArrayList<>();
        try (BrokerProcess broker = new BrokerProcess("soak", tmp.resolve("broker"),
                MixedLoad.SMALL_LOG.toArray(new String[0])).start().awaitReady(Duration.ofSeconds(60));
             MixedLoad load = new MixedLoad("soak", RATE, () -> new String[] {broker.tcpUri()});
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv), true)) {
            System.out.printf("soak: %d min, sample every %d s, CSV %s%n", minutes, SAMPLE_SECONDS, csv);
            out.println("seconds,heap_after_gc_kb,rss_kb,threads,fds,acked_per_s,delivered_per_s");
            await("load connected", Duration.ofSeconds(30), load::allConnected);
            long start = System.nanoTime();
            long end = start + TimeUnit.MINUTES.toNanos(minutes);
            long next = start;
            long acked = load.acknowledgedCount();
            long delivered = load.persistent.deliveries();
            long lastAt = start;
            while (next < end) {
                next += TimeUnit.SECONDS.toNanos(SAMPLE_SECONDS);
                churn(broker.mqttPort());
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // the sampling period, not a wait for a result
                }
                long now = System.nanoTime();
                double secs = (now - lastAt) / 1e9;
                long a = load.acknowledgedCount();
                long d = load.persistent.deliveries();
                Row r = new Row((now - start) / 1_000_000_000L, ProcessSample.of(broker.pid(), tmp),
                        (a - acked) / secs, (d - delivered) / secs);
                acked = a;
                delivered = d;
                lastAt = now;
                rows.add(r);
                out.printf("%d,%d,%d,%d,%d,%.0f,%.0f%n", r.seconds(), r.s().heapAfterGcKb(), r.s().rssKb(),
                        r.s().threads(), r.s().fds(), r.ackedPerSecond(), r.deliveredPerSecond());
                assertTrue(broker.isAlive(), "the broker died");
            }
            load.stopAndDrain(Duration.ofSeconds(60));
            java.util.Set<String> acknowledged = load.acknowledged();
            try {
                await("every acknowledged message delivered", Duration.ofSeconds(120),
                        () -> load.missingAtPersistent(acknowledged).isEmpty());
            } catch (AssertionError e) {
                List<String> missing = load.missingAtPersistent(acknowledged);
                throw new AssertionError(missing.size() + " acknowledged messages missing, e.g. "
                        + missing.subList(0, Math.min(10, missing.size())) + "; " + load.publishers(), e);
            }
            assertEquals(List.of(), load.completedQos2Duplicates());
        }
        summarize(rows, csv);
    }

    /** Short-lived connections: a leak per connection (fd, thread, session) shows in the samples. */
    private static void churn(int port) throws IOException {
        for (int i = 0; i < CHURN_PER_SAMPLE; i++) {
            try (RawMqttClient c = new RawMqttClient(port)) {
                c.connect("soak-churn-" + i, true, 30);
            }
        }
    }

    private static void summarize(List<Row> rows, Path csv) {
        assertTrue(rows.size() >= 6, "too few samples: " + rows.size());
        System.out.printf("soak summary (%d samples, %s):%n", rows.size(), csv);
        column(rows, "heap after GC KiB", r -> r.s().heapAfterGcKb(), 1.5, 16 * 1024);
        column(rows, "RSS KiB", r -> r.s().rssKb(), 1.25, 48 * 1024);
        column(rows, "threads", r -> r.s().threads(), 1.0, 5);
        column(rows, "open fds", r -> r.s().fds(), 1.0, 20);
        double[] first = thirds(rows, Row::ackedPerSecond)[0];
        double[] last = thirds(rows, Row::ackedPerSecond)[1];
        column(rows, "acknowledged/s", Row::ackedPerSecond, Double.NaN, 0);
        column(rows, "delivered/s", Row::deliveredPerSecond, Double.NaN, 0);
        assertTrue(median(last) >= 0.8 * median(first), "throughput fell: first third median " + median(first)
                + "/s, last third " + median(last) + "/s");
    }

    /** Prints min/max/first/last and the two medians; asserts last ≤ first × factor + slack (unless factor is NaN). */
    private static void column(List<Row> rows, String name, ToDoubleFunction<Row> f, double factor, double slack) {
        double min = rows.stream().mapToDouble(f).min().orElseThrow();
        double max = rows.stream().mapToDouble(f).max().orElseThrow();
        double[][] t = thirds(rows, f);
        double first = median(t[0]);
        double last = median(t[1]);
        System.out.printf("  %-20s min %.0f max %.0f first %.0f last %.0f; median first third %.0f, last third %.0f%n",
                name, min, max, f.applyAsDouble(rows.get(0)), f.applyAsDouble(rows.get(rows.size() - 1)), first, last);
        if (!Double.isNaN(factor)) {
            assertTrue(last <= first * factor + slack, name + " grew: first third median " + first
                    + ", last third " + last);
        }
    }

    /** The first and the last third of the samples after a warm-up tenth. */
    private static double[][] thirds(List<Row> rows, ToDoubleFunction<Row> f) {
        double[] v = rows.stream().skip(rows.size() / 10).mapToDouble(f).toArray();
        int third = Math.max(1, v.length / 3);
        return new double[][] {Arrays.copyOfRange(v, 0, third), Arrays.copyOfRange(v, v.length - third, v.length)};
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
