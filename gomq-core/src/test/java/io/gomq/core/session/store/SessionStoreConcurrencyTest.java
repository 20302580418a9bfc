package io.gomq.core.session.store;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.topic.SubscriptionOptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
    private static final int SESSIONS_PER_THREAD = 40;
    private static final int ROUNDS = 60;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Durability.class, names = {"WRITE", "FSYNC_BATCHED"})
    void shouldKeepEverySessionsLastStateWhenManyThreadsJournalAtOnce(Durability durability) throws Exception {
        BrokerConfig config = BrokerConfig.defaults().dataDir(dir).durability(durability).fsyncIntervalMs(5);
        try (SessionStore store = SessionStore.open(config, null, 64 * 1024)) {
            for (int t = 0; t < THREADS; t++) {
                for (int s = 0; s < SESSIONS_PER_THREAD; s++) {
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
                        for (int r = 1; r <= ROUNDS; r++) {
                            for (int s = 0; s < SESSIONS_PER_THREAD; s++) {
                                journalRound(store, client(thread, s), r);
                            }
                        }
                        return null;
                    }));
                }
                done.add(pool.submit(() -> { // shared offsets above every commit: all kept
                    start.await();
                    for (int r = 0; r < ROUNDS; r++) {
                        for (int t = 0; t < THREADS; t++) {
                            store.sharedAssigned(client(t, r % SESSIONS_PER_THREAD), 1_000_000L + r);
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
            assertEquals(THREADS * SESSIONS_PER_THREAD, store.size());
        }
        long generation = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("sessions/sessions.snap"))).getLong(4);
        assertTrue(generation > 3, "the WAL switched to new snapshots while the threads wrote: generation " + generation);
        try (SessionStore store = SessionStore.open(config)) {
            Map<String, SessionState> all = store.loadAll();
            assertEquals(THREADS * SESSIONS_PER_THREAD, all.size());
            for (int t = 0; t < THREADS; t++) {
                for (int s = 0; s < SESSIONS_PER_THREAD; s++) {
                    String id = client(t, s);
                    SessionState st = all.get(id);
                    assertEquals(ROUNDS * 10L, st.committedOffset(), id);
                    assertEquals(Map.of("s/" + id + "/" + ROUNDS, SubscriptionOptions.of(Qos.AT_LEAST_ONCE)),
                            st.subscriptions(), id);
                    assertEquals(Map.of(ROUNDS % 1000 + 1, new InflightEntry(ROUNDS % 1000 + 1, ROUNDS * 10L + 1,
                            InflightState.PUBREL_SENT)), st.inflight(), id);
                    assertEquals(List.of(ROUNDS), List.copyOf(st.inbound().keySet()), id);
                    assertEquals("r" + ROUNDS, st.inbound().get(ROUNDS).payloadAsString(), id);
                    assertEquals(ROUNDS, st.expirySeconds(), id);
                    long shared = st.sharedOffsets().size();
                    assertEquals(s < ROUNDS % SESSIONS_PER_THREAD ? 2 : 1, shared, id + " " + st.sharedOffsets());
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
