package io.gomq.embedded;

import io.gomq.client.Consumer;
import io.gomq.client.Qos;
import io.gomq.testing.ThreadCpu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** An idle broker's threads park: none of them burns CPU while nothing happens. */
class IdleBrokerTest {
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final int MAX_WINDOWS = 5;

    @Test
    @Timeout(60)
    void shouldParkEveryBrokerThreadWhenIdleAfterDelivering(@TempDir Path dir) throws Exception {
        try (GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().dataDir(dir).dispatcherThreads(2).build());
             Consumer consumer = broker.consumer()) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            consumer.subscribe(List.of("idle/t"), Qos.AT_LEAST_ONCE, d -> received.add(d.payloadAsString()));
            broker.producer().publish("idle/t", null, "one".getBytes(), Qos.AT_LEAST_ONCE, false).get(10, TimeUnit.SECONDS);
            assertEquals("one", received.poll(10, TimeUnit.SECONDS));

            // the window opens once the dispatchers have ended their backoff and parked
            await().atMost(Duration.ofSeconds(10)).until(() -> dispatchers().allMatch(t ->
                    t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING));
            assertEquals(2, dispatchers().count(), "dispatcher threads found");
            // one-off work after a start (the log's first maintenance tick loads its native allocator) may fill a window
            assertEquals("", ThreadCpu.busyInEveryWindow(t -> true, WINDOW, MAX_WINDOWS),
                    "threads that used CPU in every idle window of " + WINDOW);

            // a parked dispatcher still wakes for the next delivery
            broker.producer().publish("idle/t", null, "two".getBytes(), Qos.AT_LEAST_ONCE, false).get(10, TimeUnit.SECONDS);
            assertEquals("two", received.poll(10, TimeUnit.SECONDS));
        }
    }

    private static Stream<Thread> dispatchers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("gomq-dispatch-"));
    }
}
