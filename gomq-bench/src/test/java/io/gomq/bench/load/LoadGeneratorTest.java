package io.gomq.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load generator against the real standalone broker, briefly. */
class LoadGeneratorTest {

    @Test
    @Timeout(60)
    void shouldMeasureQos1LoadWithEveryMessageDeliveredToEverySubscriber() {
        LauncherConfig config = new LauncherConfig().bind("127.0.0.1").port(0).httpPort(0).wsPort(0);
        config.broker().persistent(false);
        try (StandaloneBroker broker = StandaloneBroker.start(config)) {
            LoadGenerator load = new LoadGenerator();
            int exit = new CommandLine(load).execute("--url", "tcp://127.0.0.1:" + broker.mqttPort(), "--qos", "1",
                    "--publishers", "2", "--subscribers", "2", "--warmup", "PT0.2S", "--duration", "PT1S");
            assertEquals(0, exit);
            LoadGenerator.Result r = load.result;
            assertTrue(r.acked > 0 && r.publishedPerSecond > 0, "published " + r.acked);
            // rates in the window may differ (subscribers can lag); after the drain each has every message
            assertEquals(0, r.lost);
            assertTrue(r.deliveredDistinct >= 2 * r.acked, "two subscribers each get every message: "
                    + r.deliveredDistinct + " for " + r.acked);
            assertTrue(r.deliveredPerSecond > 0);
            assertEquals(0, r.duplicates);
            assertTrue(r.latency.getTotalCount() > 0);
        }
    }

    @Test
    @Timeout(90)
    void shouldPaceOnTheClientsEventLoopWhenItHasOneCore() throws Exception {
        LauncherConfig config = new LauncherConfig().bind("127.0.0.1").port(0).httpPort(0).wsPort(0);
        config.broker().persistent(false);
        try (StandaloneBroker broker = StandaloneBroker.start(config)) {
            List<String> cmd = ChildJvm.command(LoadGenerator.class, "--url", "tcp://127.0.0.1:" + broker.mqttPort(),
                    "--qos", "1", "--rate", "400", "--publishers", "2", "--warmup", "PT0.5S", "--duration", "PT2S", "--json");
            cmd.add(1, "-XX:ActiveProcessorCount=1"); // a JVM that sees one core, as the load generator pinned with taskset does
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out;
            try {
                out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            } finally {
                p.destroyForcibly();
            }
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("paced on the client's event loop"), out);
            JsonNode r = new ObjectMapper().readTree(out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
            assertEquals(0, r.get("lost").asLong(), out);
            assertEquals(0, r.get("failed").asLong(), out);
            // two publishers at 400 msg/s each: the loop's timer keeps the pace, neither stalls nor races
            long rate = r.get("published_per_s").asLong();
            assertTrue(rate >= 600 && rate <= 1000, "published " + rate + " msg/s for 800 asked");
        }
    }

    @Test
    @Timeout(60)
    void shouldLogEveryMeasuredDeliveryWithItsReceiveTimeAndLatency(@TempDir Path dir) throws Exception {
        LauncherConfig config = new LauncherConfig().bind("127.0.0.1").port(0).httpPort(0).wsPort(0);
        config.broker().persistent(false);
        Path file = dir.resolve("latency.txt");
        try (StandaloneBroker broker = StandaloneBroker.start(config)) {
            LoadGenerator load = new LoadGenerator();
            long before = System.nanoTime();
            int exit = new CommandLine(load).execute("--url", "tcp://127.0.0.1:" + broker.mqttPort(), "--qos", "0",
                    "--rate", "500", "--publishers", "2", "--warmup", "PT0.3S", "--duration", "PT1S",
                    "--latency-log", file.toString());
            long after = System.nanoTime();
            assertEquals(0, exit);
            List<String> lines = Files.readAllLines(file);
            assertTrue(lines.get(0).startsWith("# gomq load latency log"), lines.get(0));
            long measuredFrom = Long.parseLong(lines.get(1).split(" ")[2]);
            List<long[]> deliveries = lines.stream().filter(l -> !l.startsWith("#"))
                    .map(l -> Arrays.stream(l.split(" ")).mapToLong(Long::parseLong).toArray()).toList();
            // what the histogram counted: the measured interval, not the warm-up (the two switch
            // a delivery or so apart at either end)
            assertTrue(Math.abs(load.result.latency.getTotalCount() - deliveries.size()) <= 4,
                    deliveries.size() + " logged, " + load.result.latency.getTotalCount() + " measured");
            assertTrue(deliveries.size() > 500, "deliveries " + deliveries.size());
            for (long[] d : deliveries) {
                assertEquals(0, d[0], "one subscriber");
                assertTrue(d[1] > before && d[1] < after && d[1] >= measuredFrom - 50_000_000L, "received at " + d[1]);
                assertTrue(d[2] > 0 && d[2] < 5_000_000_000L, "latency " + d[2]);
            }
            // in nanoseconds, the deliveries the histogram holds in microseconds: the same median
            long medianMicros = deliveries.stream().mapToLong(d -> d[2]).sorted().skip(deliveries.size() / 2)
                    .findFirst().orElseThrow() / 1_000;
            long histogramMedian = load.result.latency.getValueAtPercentile(50);
            assertTrue(Math.abs(medianMicros - histogramMedian) <= Math.max(2, histogramMedian / 50),
                    medianMicros + " us against the histogram's " + histogramMedian);
        }
    }

    @Test
    void shouldRefuseABrokerOffThisMachine() {
        assertEquals(2, new CommandLine(new LoadGenerator()).execute("--url", "tcp://10.1.2.3:1883"));
    }
}
