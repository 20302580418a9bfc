package io.gomq.junit;

import io.gomq.client.Producer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After a test class the extension leaves nothing: every thread the broker and the injected
 * clients started has ended and the data directories are gone. Runs alone: another class's broker
 * would add threads of its own.
 */
@Isolated
class NoLeftoversTest {
    private static final Set<Path> DIRS = ConcurrentHashMap.newKeySet();

    @Test
    @Timeout(180)
    void noThreadAndNoFileOutliveTheTestClass() throws Exception {
        Map<String, String> sequential = Map.of("junit.jupiter.execution.parallel.enabled", "false");
        // a first run starts what the JVM keeps for good (shared pools, class-level singletons)
        JUnitRun.runAndPass(sequential, PerClass.class, PerMethod.class);
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        DIRS.clear();

        JUnitRun.runAndPass(sequential, PerClass.class, PerMethod.class);

        assertEquals(3, DIRS.size(), "one directory per class broker and per method broker");
        for (Path dir : DIRS) {
            assertFalse(Files.exists(dir), "deleted: " + dir);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> left = newThreads(before);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20); // threads end shortly after close returns (Netty's quiet period)
            left = newThreads(before);
        }
        assertTrue(left.isEmpty(), "threads left behind: " + left);
    }

    /** Live threads that did not exist before; the JVM's common pool belongs to no broker. */
    private static List<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName)
                .filter(n -> !n.startsWith("ForkJoinPool.commonPool-worker-"))
                .sorted()
                .collect(Collectors.toList());
    }

    @GoMqTest
    static final class PerClass {
        @Test
        void usesClientsAndTheBroker(GoMqTestBroker broker, MqttClient client, Producer producer) throws Exception {
            DIRS.add(broker.dataDir().orElseThrow());
            client.publish("leak/check", "1".getBytes(StandardCharsets.UTF_8), 1, true);
            producer.publish("leak/check", "2").get(10, TimeUnit.SECONDS);
            assertEquals(2, broker.awaitMessages("leak/check", 2, Duration.ofSeconds(10)).size());
        }
    }

    @GoMqTest(lifecycle = GoMqTest.Lifecycle.PER_METHOD)
    static final class PerMethod {
        @Test
        void first(GoMqTestBroker broker, MqttClient client) throws Exception {
            DIRS.add(broker.dataDir().orElseThrow());
            client.publish("leak/a", "1".getBytes(StandardCharsets.UTF_8), 1, true);
            broker.awaitMessage("leak/a", Duration.ofSeconds(10));
        }

        @Test
        void second(GoMqTestBroker broker, MqttClient client) throws Exception {
            DIRS.add(broker.dataDir().orElseThrow());
            client.publish("leak/b", "1".getBytes(StandardCharsets.UTF_8), 1, true);
            broker.awaitMessage("leak/b", Duration.ofSeconds(10));
        }
    }
}
