package io.gomq.embedded;

import io.gomq.client.Consumer;
import io.gomq.client.Qos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** An idle broker's threads park: none of them burns CPU while nothing happens. */
class IdleBrokerTest {
    /** CPU a thread may use while idle: 2 % of the window, far below any spin-yield loop. */
    private static final double MAX_IDLE_SHARE = 0.02;
    private static final long WINDOW_MS = 1_000;
    private static final int MAX_WINDOWS = 5;

    @Test
    @Timeout(60)
    void shouldParkEveryBrokerThreadWhenIdleAfterDelivering(@TempDir Path dir) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
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
            // one-off work after a start (the log's first maintenance tick loads its native allocator) may
            // fill a window; an idle broker has a quiet one soon after, a spinning thread never does
            String busy = "";
            for (int window = 0; window < MAX_WINDOWS; window++) {
                busy = busyThreadsInWindow(threads);
                if (busy.isEmpty()) {
                    break;
                }
            }
            assertEquals("", busy, "threads that used CPU in every idle window of " + WINDOW_MS + " ms");

            // a parked dispatcher still wakes for the next delivery
            broker.producer().publish("idle/t", null, "two".getBytes(), Qos.AT_LEAST_ONCE, false).get(10, TimeUnit.SECONDS);
            assertEquals("two", received.poll(10, TimeUnit.SECONDS));
        }
    }

    /** The threads that used more than {@link #MAX_IDLE_SHARE} of a core over one window, with their CPU time. */
    private static String busyThreadsInWindow(ThreadMXBean threads) {
        Map<Thread, Long> before = cpuNanos(threads);
        long start = System.nanoTime();
        await().pollDelay(Duration.ofMillis(WINDOW_MS)).atMost(Duration.ofSeconds(10)).until(() -> true);
        long windowNanos = System.nanoTime() - start;
        Map<Thread, Long> after = cpuNanos(threads);
        StringBuilder busy = new StringBuilder();
        before.forEach((t, cpu) -> {
            Long later = after.get(t);
            if (later != null && later - cpu > MAX_IDLE_SHARE * windowNanos) {
                busy.append(t.getName()).append(' ').append((later - cpu) / 1_000_000).append(" ms; ");
            }
        });
        return busy.toString();
    }

    private static Stream<Thread> dispatchers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("gomq-dispatch-"));
    }

    /** CPU time of every live thread but this one (the test's own polling is not the broker's). */
    private static Map<Thread, Long> cpuNanos(ThreadMXBean threads) {
        Map<Thread, Long> cpu = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t != Thread.currentThread()) {
                long nanos = threads.getThreadCpuTime(t.getId());
                if (nanos >= 0) {
                    cpu.put(t, nanos);
                }
            }
        }
        return cpu;
    }
}
