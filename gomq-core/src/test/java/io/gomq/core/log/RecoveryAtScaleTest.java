package io.gomq.core.log;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.gomq.core.log.LogTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Recovery at scale; how fast it is, is RecoveryBenchmark's (gomq-bench) to say, not a test's. */
class RecoveryAtScaleTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void shouldRecoverOneMillionMessagesWithTheirTopicAndRetainedIndexes() {
        BrokerConfig c = config(dir);
        byte[] payload = new byte[100];
        int n = 1_000_000;
        long t0 = System.nanoTime();
        try (MessageLog log = MessageLog.open(c)) {
            List<Message> batch = new ArrayList<>(100);
            for (int i = 0; i < n; i++) {
                batch.add(Message.wrap("topic/" + (i % 10_000), null, payload, Qos.AT_LEAST_ONCE, i % 100 == 0,
                        System.currentTimeMillis()));
                if (batch.size() == 100) {
                    log.append(batch);
                    batch.clear();
                }
            }
        }
        long appendMs = (System.nanoTime() - t0) / 1_000_000;
        long t1 = System.nanoTime();
        try (MessageLog log = MessageLog.open(c)) {
            long recoveryMs = (System.nanoTime() - t1) / 1_000_000;
            System.out.printf("RECOVERY 1M: append %d ms (%.0f msg/s), recovery %d ms%n", appendMs, n * 1000.0 / appendMs, recoveryMs);
            assertEquals(n, log.endOffset());
            assertEquals(100, log.readTopic("topic/42", 0, 1000).size());
            assertEquals(100, log.retainedMatching("topic/+").size()); // every 100th is retained: topics 0, 100, ...
        }
    }
}
