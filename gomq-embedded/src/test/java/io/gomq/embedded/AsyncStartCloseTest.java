package io.gomq.embedded;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.ConfigException;
import io.gomq.core.engine.BrokerClosedException;
import io.gomq.core.message.Qos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** startAsync and closeAsync: a host starts and stops several brokers at once. */
class AsyncStartCloseTest {

    @Test
    @Timeout(60)
    void severalBrokersStartAndCloseAtOnce(@TempDir Path dir) throws Exception {
        List<CompletableFuture<GoMqBroker>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            starting.add(GoMqBroker.startAsync(BrokerConfig.defaults().dataDir(dir.resolve("b" + i))));
        }
        CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (CompletableFuture<GoMqBroker> f : starting) {
            GoMqBroker broker = f.join();
            try (Consumer c = broker.consumer()) {
                MessageStream s = c.subscribe(List.of("a"), Qos.AT_LEAST_ONCE);
                broker.producer().publish("a", "started").get(10, TimeUnit.SECONDS);
                assertEquals("started", s.poll(Duration.ofSeconds(10)).payloadAsString());
            }
            closing.add(broker.closeAsync());
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        for (CompletableFuture<GoMqBroker> f : starting) {
            assertTrue(f.join().isClosed());
            assertThrows(BrokerClosedException.class, () -> f.join().producer());
        }
    }

    @Test
    @Timeout(30)
    void aStartThatFailsFailsTheFuture() {
        CompletableFuture<GoMqBroker> f = GoMqBroker.startAsync(BrokerConfig.defaults().persistent(false).retentionMs(-1));

        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        ConfigException cause = assertInstanceOf(ConfigException.class, e.getCause());
        assertTrue(cause.getMessage().contains("retention-ms"), cause.getMessage());
    }

    @Test
    @Timeout(30)
    void startRunsOnTheGivenExecutor() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Executor host = task -> new Thread(() -> {
            threads.add(Thread.currentThread().getName());
            task.run();
        }, "host-starter").start();

        try (GoMqBroker broker = GoMqBroker.startAsync(BrokerConfig.defaults().persistent(false), host).get(10, TimeUnit.SECONDS)) {
            assertNotNull(broker.engine());
        }
        assertEquals(Set.of("host-starter"), threads);
    }

    @Test
    @Timeout(30)
    void closeAsyncTwiceCompletesBothAndCloseAfterwardsDoesNothing() throws Exception {
        GoMqBroker broker = GoMqBroker.start(BrokerConfig.defaults().persistent(false));

        CompletableFuture<Void> first = broker.closeAsync();
        CompletableFuture<Void> second = broker.closeAsync();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        broker.close();

        assertTrue(broker.isClosed());
        assertTrue(broker.closeAsync().isDone(), "a closed broker's closeAsync is done at once");
    }

    @Test
    @Timeout(30)
    void aHandlerCanCloseItsBrokerWithoutWaitingForItself() throws Exception {
        GoMqBroker broker = GoMqBroker.start(BrokerConfig.defaults().persistent(false));
        CountDownLatch handled = new CountDownLatch(1);
        CompletableFuture<CompletableFuture<Void>> closing = new CompletableFuture<>();
        broker.consumer().subscribe(List.of("stop"), Qos.AT_MOST_ONCE, d -> {
            closing.complete(broker.closeAsync()); // close() here would wait for this very handler
            handled.countDown();
        });

        broker.producer().publish("stop", "now");

        assertTrue(handled.await(10, TimeUnit.SECONDS));
        CompletableFuture<Void> closed = closing.get(10, TimeUnit.SECONDS);
        assertSame(null, closed.get(10, TimeUnit.SECONDS));
        assertTrue(broker.isClosed());
    }
}
