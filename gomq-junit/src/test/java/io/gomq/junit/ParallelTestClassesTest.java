package io.gomq.junit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three test classes run at the same time, each with its broker: they meet while all three
 * brokers run (so they did run in parallel), find their ports and directories distinct, and each
 * reads back only its own retained message on the topic all three use.
 */
class ParallelTestClassesTest {
    private static final int CLASSES = 3;
    private static final Map<String, GoMqTestBroker> RUNNING = new ConcurrentHashMap<>();
    private static volatile CountDownLatch allRunning;

    @Test
    @Timeout(180)
    void parallelTestClassesGetIsolatedBrokers() {
        RUNNING.clear();
        allRunning = new CountDownLatch(CLASSES);

        JUnitRun.runAndPass(Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", String.valueOf(CLASSES)),
                First.class, Second.class, Third.class);

        assertEquals(Set.of("First", "Second", "Third"), RUNNING.keySet());
    }

    @GoMqTest
    abstract static class SharesATopicWithTheOthers {
        @Test
        @Timeout(120)
        void seesOnlyItsOwnBroker(GoMqTestBroker broker, MqttClient client) throws Exception {
            String me = getClass().getSimpleName();
            RUNNING.put(me, broker);
            allRunning.countDown();
            assertTrue(allRunning.await(90, TimeUnit.SECONDS), "the three classes never ran at the same time");

            List<GoMqTestBroker> all = List.copyOf(RUNNING.values());
            Set<Integer> ports = new HashSet<>();
            Set<Path> dirs = new HashSet<>();
            for (GoMqTestBroker b : all) {
                ports.add(b.mqttPort());
                ports.add(b.wsPort());
                ports.add(b.httpPort());
                dirs.add(b.dataDir().orElseThrow());
            }
            assertEquals(3 * CLASSES, ports.size(), "every listener of every broker has its own port");
            assertEquals(CLASSES, dirs.size(), "every broker has its own directory");

            MqttMessage retained = new MqttMessage(me.getBytes(StandardCharsets.UTF_8));
            retained.setQos(1);
            retained.setRetained(true);
            client.publish("shared/state", retained);
            assertEquals(me, broker.awaitMessage("shared/state", Duration.ofSeconds(30)).payloadAsString());

            // a late subscriber gets the retained message of this broker, not another class's
            try (MqttClient late = new MqttClient(broker.mqttUri().toString(), me + "-late", new MemoryPersistence())) {
                LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
                late.connect();
                late.subscribe("shared/state", 1, (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
                assertEquals(me, got.poll(30, TimeUnit.SECONDS));
                late.disconnect();
            }
        }
    }

    static final class First extends SharesATopicWithTheOthers {
    }

    static final class Second extends SharesATopicWithTheOthers {
    }

    static final class Third extends SharesATopicWithTheOthers {
    }
}
