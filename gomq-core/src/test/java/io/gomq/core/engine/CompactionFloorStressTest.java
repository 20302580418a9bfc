package io.gomq.core.engine;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.log.CompactionResult;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.session.Session;
import io.gomq.core.session.SessionOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compaction floor under load: persistent sessions at QoS 1 and 2, each on its own owner
 * thread, acknowledge out of order while publishers write keyed messages (every key is
 * superseded quickly, so compaction removes all it is allowed to) into small segments, and
 * compaction runs back to back. Small queues overflow, so the sessions also read the log. The
 * engine is closed in the middle, with messages in flight and unread, and reopened: restoring
 * the in-flight window reads those records back from the log. Every message must arrive, QoS 2
 * ones never twice: a floor that came out too high once loses a record for good.
 */
@Timeout(60)
class CompactionFloorStressTest {
    private static final int PUBLISHERS = 2;
    private static final int PER_PHASE = 2_000;
    private static final int KEYS = 40;
    private static final Qos[] SESSION_QOS = {Qos.AT_LEAST_ONCE, Qos.AT_LEAST_ONCE, Qos.EXACTLY_ONCE, Qos.EXACTLY_ONCE};

    @TempDir
    Path dir;

    private BrokerConfig config() {
        return BrokerConfig.defaults().dataDir(dir).segmentBytes(32 * 1024).compactionIntervalMs(5)
                .maxQueuedMessages(32).maxInflight(16);
    }

    @Test
    void shouldNeverCompactAwayWhatSessionsHaveInFlightOrYetToRead() throws Exception {
        List<Received> received = new ArrayList<>();
        for (int i = 0; i < SESSION_QOS.length; i++) {
            received.add(new Received());
        }
        long removed = 0;
        try (BrokerEngine engine = BrokerEngine.open(config())) {
            List<Client> clients = attach(engine, received, true);
            removed += publishWhileCompacting(engine, 0, () -> {
                for (Client c : clients) {
                    c.stop(); // the clients go away mid-flight: unacknowledged and unread messages stay behind
                }
            });

        }
        try (BrokerEngine engine = BrokerEngine.open(config())) {
            List<Client> clients = attach(engine, received, false);
            removed += publishWhileCompacting(engine, PER_PHASE, () -> { });
            int total = PUBLISHERS * 2 * PER_PHASE;
            await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().allMatch(r -> r.unique.size() == total));
            for (Client c : clients) {
                c.stop();
            }
            for (int i = 0; i < SESSION_QOS.length; i++) {
                assertEquals(total, received.get(i).unique.size(), "session " + i + " got every message");
                if (SESSION_QOS[i] == Qos.EXACTLY_ONCE) {
                    assertEquals(0, received.get(i).duplicates.get(), "QoS 2 session " + i + ": a message twice");
                }
            }
        }
        System.out.printf("compaction removed %d records under load%n", removed);
        assertTrue(removed > 0, "compaction never removed anything: the test proves nothing");
    }

    private List<Client> attach(BrokerEngine engine, List<Received> received, boolean subscribe) {
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < SESSION_QOS.length; i++) {
            Client c = new Client(received.get(i));
            Session s = engine.connect("durable-" + i, false, null, c).session();
            if (subscribe) {
                engine.subscribe(s, List.of("s/#"), List.of(SESSION_QOS[i]));
            }
            c.start(s); // the owner thread takes over from here
            clients.add(c);
        }
        return clients;
    }

    /**
     * Publishes one phase from PUBLISHERS threads while another compacts without pause; runs
     * {@code halfway} once half the phase is published. Returns the records compaction removed.
     */
    private static long publishWhileCompacting(BrokerEngine engine, int firstSeq, Runnable halfway) throws Exception {
        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicLong removed = new AtomicLong();
        AtomicLong passes = new AtomicLong();
        Thread compactor = new Thread(() -> {
            while (publishing.get()) {
                CompactionResult r = engine.log().compactNow();
                passes.incrementAndGet();
                removed.addAndGet(r.recordsBefore() - r.recordsAfter());
            }
        }, "test-compactor");
        compactor.start();
        ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                int publisher = p;
                done.add(pool.submit(() -> {
                    for (int seq = firstSeq; seq < firstSeq + PER_PHASE; seq++) {
                        if (publisher == 0 && seq == firstSeq + PER_PHASE / 2) {
                            halfway.run();
                        }
                        engine.publish(Message.builder("s/" + publisher).key("k" + (seq % KEYS))
                                .payload(ByteBuffer.allocate(8).putInt(publisher).putInt(seq).array())
                                .qos(Qos.EXACTLY_ONCE).build(), null);
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            publishing.set(false);
            compactor.join(10_000);
            System.out.printf("phase from %d published, %d compaction passes%n", firstSeq, passes.get());
            pool.shutdownNow();
        }
        return removed.get();
    }

    /** What one subscriber has taken (acknowledged), across both engines. */
    private static final class Received {
        final Set<Long> unique = ConcurrentHashMap.newKeySet();
        final AtomicInteger duplicates = new AtomicInteger();

        void take(long key) {
            if (!unique.add(key)) {
                duplicates.incrementAndGet();
            }
        }
    }

    /** A PUBLISH received and not yet answered. */
    private record Pending(int packetId, long key) {
    }

    /**
     * A client and its session's owner thread: drains on wakeup, and after each drain answers what
     * it received, newest first (acknowledgements out of order reshuffle the in-flight window). A
     * message counts as taken only when answered (PUBACK, PUBREC): what a stopped client received
     * but never answered must come again after the restart, read back from the log.
     */
    private static final class Client implements SessionOutput {
        private final ExecutorService owner = Executors.newSingleThreadExecutor();
        private final Received received;
        private final List<Pending> toAck = new ArrayList<>();
        private final List<Pending> toRec = new ArrayList<>();
        private final List<Integer> toComp = new ArrayList<>();
        private final Runnable drain = this::drain;
        private volatile Session session;
        private volatile boolean stopped;

        Client(Received received) {
            this.received = received;
        }

        void start(Session s) {
            session = s;
            wakeup();
        }

        /** Without interrupting the owner: a real owner thread is never interrupted inside the engine. */
        void stop() {
            stopped = true;
            owner.shutdown();
            try {
                assertTrue(owner.awaitTermination(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        /** Answers what the previous pass received (so each pass leaves its sends in flight), then drains. */
        private void drain() {
            Session s = session;
            if (s == null || stopped) {
                return;
            }
            for (int i = toComp.size() - 1; i >= 0; i--) {
                s.onPubComp(toComp.get(i));
            }
            toComp.clear();
            for (int i = toRec.size() - 1; i >= 0; i--) {
                Pending p = toRec.get(i);
                received.take(p.key());
                s.onPubRec(p.packetId()); // answered by PUBREL: completed on the next pass
                toComp.add(p.packetId());
            }
            toRec.clear();
            for (int i = toAck.size() - 1; i >= 0; i--) {
                Pending p = toAck.get(i);
                received.take(p.key());
                s.onPubAck(p.packetId());
            }
            toAck.clear();
            boolean again = s.drain(32);
            if (again || !toAck.isEmpty() || !toRec.isEmpty() || !toComp.isEmpty()) {
                wakeup();
            }
        }

        @Override
        public void publish(Message message, int packetId, boolean dup) {
            ByteBuffer p = message.payload();
            long key = ((long) p.getInt() << 32) | p.getInt();
            (message.qos() == Qos.EXACTLY_ONCE ? toRec : toAck).add(new Pending(packetId, key));
        }

        @Override
        public void pubRel(int packetId) {
            toComp.add(packetId);
        }

        @Override
        public void wakeup() {
            try {
                owner.execute(drain);
            } catch (RejectedExecutionException e) {
                // stopped
            }
        }

        @Override
        public CompletableFuture<Void> takenOver() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
