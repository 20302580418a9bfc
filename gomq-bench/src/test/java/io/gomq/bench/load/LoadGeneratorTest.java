package io.gomq.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.nio.charset.StandardCharsets;
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
    void shouldRefuseABrokerOffThisMachine() {
        assertEquals(2, new CommandLine(new LoadGenerator()).execute("--url", "tcp://10.1.2.3:1883"));
    }
}
