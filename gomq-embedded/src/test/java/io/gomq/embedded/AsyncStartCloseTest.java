package io.gomq.embedded;

import io.gomq.client.Consumer;
import io.gomq.client.MessageStream;
import io.gomq.client.Qos;
import io.gomq.core.config.ConfigException;
import io.gomq.client.ClosedException;
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
            starting.add(GoMqBroker.startAsync(EmbeddedConfig.builder().dataDir(dir.resolve("b" + i)).build()));
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
            assertThrows(ClosedException.class, () -> f.join().producer());
        }
    }

    @Test
    @Timeout(30)
    void aStartThatFailsFailsTheFuture(@TempDir Path dir) throws Exception {
        Path notADirectory = java.nio.file.Files.createFile(dir.resolve("a-file"));
        CompletableFuture<GoMqBroker> f = GoMqBroker.startAsync(EmbeddedConfig.builder().dataDir(notADirectory.resolve("data")).build());

        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertNotNull(e.getCause());
        assertTrue(String.valueOf(e.getCause().getMessage()).contains("a-file"), String.valueOf(e.getCause()));
    }

    @Test
    void aBadSettingFailsWhenTheConfigIsBuiltNamingItsKey() {
        EmbeddedConfig.Builder bad = EmbeddedConfig.builder().persistent(false).retentionMs(-1);

        ConfigException e = assertThrows(ConfigException.class, bad::build);
        assertTrue(e.getMessage().contains("retention-ms"), e.getMessage());
    }

    @Test
    @Timeout(30)
    void startRunsOnTheGivenExecutor() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Executor host = task -> new Thread(() -> {
            threads.add(Thread.currentThread().getName());
            task.run();
        }, "host-starter").start();

        try (GoMqBroker broker = GoMqBroker.startAsync(EmbeddedConfig.builder().persistent(false).build(), host).get(10, TimeUnit.SECONDS)) {
            assertNotNull(broker.internal().engine());
        }
        assertEquals(Set.of("host-starter"), threads);
    }

    @Test
    @Timeout(30)
    void closeAsyncTwiceCompletesBothAndCloseAfterwardsDoesNothing() throws Exception {
        GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().persistent(false).build());

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
        GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().persistent(false).build());
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
