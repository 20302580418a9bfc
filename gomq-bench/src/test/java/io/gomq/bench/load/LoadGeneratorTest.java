package io.gomq.bench.load;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.config.LauncherConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

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
    void shouldRefuseABrokerOffThisMachine() {
        assertEquals(2, new CommandLine(new LoadGenerator()).execute("--url", "tcp://10.1.2.3:1883"));
    }
}
