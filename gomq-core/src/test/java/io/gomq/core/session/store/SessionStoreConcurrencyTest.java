package io.gomq.core.session.store;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.topic.SubscriptionOptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many sessions journaling from several threads at once, with the WAL small enough that it
 * switches to a new snapshot many times meanwhile: after a restart every session holds exactly
 * its last state. Each thread owns its sessions (as a session's owner thread does), and one
 * more thread assigns shared messages to all of them, as a shared group does from another
 * session's thread.
 */
@Timeout(120)
class SessionStoreConcurrencyTest {
    private static final int THREADS = 6;

    @TempDir
    Path dir;

    /** FSYNC forces every write (the group commit): fewer updates, a smaller WAL so it still switches often. */
    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of(Durability.WRITE, 40, 60, 64 * 1024),
                Arguments.of(Durability.FSYNC_BATCHED, 40, 60, 64 * 1024),
                Arguments.of(Durability.FSYNC, 8, 12, 8 * 1024));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldKeepEverySessionsLastStateWhenManyThreadsJournalAtOnce(Durability durability, int sessionsPerThread,
                                                                     int rounds, int walBytes) throws Exception {
        BrokerConfig config = BrokerConfig.defaults().dataDir(dir).durability(durability).fsyncIntervalMs(5);
        try (SessionStore store = SessionStore.open(config, null, walBytes)) {
            for (int t = 0; t < THREADS; t++) {
                for (int s = 0; s < sessionsPerThread; s++) {
                    store.save(SessionState.empty(client(t, s)));
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
            try {
                CyclicBarrier start = new CyclicBarrier(THREADS + 1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int r = 1; r <= rounds; r++) {
                            for (int s = 0; s < sessionsPerThread; s++) {
                                journalRound(store, client(thread, s), r);
                            }
                        }
                        return null;
                    }));
                }
                done.add(pool.submit(() -> { // shared offsets above every commit: all kept
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        for (int t = 0; t < THREADS; t++) {
                            store.sharedAssigned(client(t, r % sessionsPerThread), 1_000_000L + r);
                        }
                    }
                    return null;
                }));
                for (Future<?> f : done) {
                    f.get(100, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            }
            assertEquals(THREADS * sessionsPerThread, store.size());
        }
        long generation = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("sessions/sessions.snap"))).getLong(4);
        assertTrue(generation > 3, "the WAL switched to new snapshots while the threads wrote: generation " + generation);
        try (SessionStore store = SessionStore.open(config)) {
            Map<String, SessionState> all = store.loadAll();
            assertEquals(THREADS * sessionsPerThread, all.size());
            for (int t = 0; t < THREADS; t++) {
                for (int s = 0; s < sessionsPerThread; s++) {
                    String id = client(t, s);
                    SessionState st = all.get(id);
                    assertEquals(rounds * 10L, st.committedOffset(), id);
                    assertEquals(Map.of("s/" + id + "/" + rounds, SubscriptionOptions.of(Qos.AT_LEAST_ONCE)),
                            st.subscriptions(), id);
                    assertEquals(Map.of(rounds % 1000 + 1, new InflightEntry(rounds % 1000 + 1, rounds * 10L + 1,
                            InflightState.PUBREL_SENT)), st.inflight(), id);
                    assertEquals(List.of(rounds), List.copyOf(st.inbound().keySet()), id);
                    assertEquals("r" + rounds, st.inbound().get(rounds).payloadAsString(), id);
                    assertEquals(rounds, st.expirySeconds(), id);
                    long shared = st.sharedOffsets().size();
                    assertEquals(s < rounds % sessionsPerThread ? 2 : 1, shared, id + " " + st.sharedOffsets());
                }
            }
        }
    }

    /** Round {@code r} of one session: after it, every value names {@code r}. */
    private static void journalRound(SessionStore store, String id, int r) {
        int previous = (r - 1) % 1000 + 1;
        int packet = r % 1000 + 1;
        store.subscribe(id, "s/" + id + "/" + r, SubscriptionOptions.of(Qos.AT_LEAST_ONCE));
        if (r > 1) {
            store.unsubscribe(id, "s/" + id + "/" + (r - 1));
            store.removeInflight(id, previous);
            store.removeInbound(id, r - 1);
        }
        store.putInflight(id, packet, r * 10L + 1, InflightState.SENT);
        store.putInflight(id, packet, r * 10L + 1, InflightState.PUBREL_SENT);
        store.putInbound(id, r, Message.builder("in/" + id).payload("r" + r).qos(Qos.EXACTLY_ONCE).build());
        store.commitOffset(id, r * 10L);
        store.expiry(id, r, -1);
    }

    private static String client(int thread, int session) {
        return "t" + thread + "-s" + session;
    }
}
