package io.gomq.core.log;

import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.session.store.InflightEntry;
import io.gomq.core.session.store.InflightState;
import io.gomq.core.session.store.SessionState;
import io.gomq.core.session.store.SessionStore;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.session.store.HeldSessionWriter;
import io.gomq.testing.HeldLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.gomq.core.log.LogTestSupport.config;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class SessionStoreTest {
    @TempDir
    Path dir;

    @Test
    void shouldRestoreEverySessionPartWhenReopened() {
        Message q2 = Message.builder("in/x").payload("exactly once").qos(Qos.EXACTLY_ONCE).build();
        try (SessionStore s = SessionStore.open(config(dir))) {
            s.save(new SessionState("alpha", Map.of("a/#", SubscriptionOptions.of(Qos.AT_LEAST_ONCE)), 10,
                    Map.of(5, new InflightEntry(5, 9, InflightState.SENT)), Map.of()));
            s.subscribe("alpha", "b/+", new SubscriptionOptions(Qos.EXACTLY_ONCE, true, false, 1, 99));
            s.unsubscribe("alpha", "a/#");
            s.commitOffset("alpha", 42);
            s.putInflight("alpha", 6, 41, InflightState.SENT);
            s.putInflight("alpha", 6, 41, InflightState.PUBREL_SENT);
            s.removeInflight("alpha", 5);
            s.putInbound("alpha", 77, q2);
            s.putInbound("alpha", 78, q2);
            s.removeInbound("alpha", 78);
            s.commitOffset("beta", 7);
            s.commitOffset("gone", 1);
            s.remove("gone");
        }
        try (SessionStore s = SessionStore.open(config(dir))) {
            Map<String, SessionState> all = s.loadAll();
            assertEquals(2, all.size());
            SessionState a = all.get("alpha");
            assertEquals(Map.of("b/+", new SubscriptionOptions(Qos.EXACTLY_ONCE, true, false, 1, 99)), a.subscriptions());
            assertEquals(42, a.committedOffset());
            assertEquals(Map.of(6, new InflightEntry(6, 41, InflightState.PUBREL_SENT)), a.inflight());
            assertEquals(1, a.inbound().size());
            Message back = a.inbound().get(77);
            assertEquals(q2.id(), back.id());
            assertEquals("exactly once", back.payloadAsString());
            assertEquals(Qos.EXACTLY_ONCE, back.qos());
            assertEquals(7, all.get("beta").committedOffset());
            assertFalse(all.containsKey("gone"));
            assertEquals(7, s.minCommittedOffset());
        }
    }

    @Test
    void shouldKeepStateAcrossManySnapshotsWhenCommittingOftenAndFast() {
        long t0 = System.nanoTime();
        int n = 300_000;
        try (SessionStore s = SessionStore.open(config(dir))) {
            for (int i = 0; i < n; i++) {
                s.commitOffset("c" + (i % 1000), i);
            }
        }
        long perCommitNs = (System.nanoTime() - t0) / n;
        try (SessionStore s = SessionStore.open(config(dir))) {
            assertEquals(1000, s.size());
            assertEquals(n - 1, s.get("c" + ((n - 1) % 1000)).orElseThrow().committedOffset());
        }
        assertTrue(perCommitNs < 50_000, "commit took " + perCommitNs + " ns");
    }

    @Test
    void shouldRecoverUpdatesBeforeDamageWhenWalTailIsGarbled() throws Exception {
        try (SessionStore s = SessionStore.open(config(dir))) {
            s.commitOffset("c", 1);
            s.commitOffset("c", 2);
            s.commitOffset("c", 3);
        }
        // close snapshots; write more updates and damage the last one
        try (SessionStore s = SessionStore.open(config(dir))) {
            s.commitOffset("c", 4);
            s.commitOffset("c", 5);
        }
        // reopen leaves a fresh snapshot of 5: append garbage to its WAL like a torn write
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("sessions/sessions.wal").toFile(), "rw")) {
            f.seek(f.length());
            f.write(new byte[]{0, 0, 0, 40, 1, 2, 3});
        }
        try (SessionStore s = SessionStore.open(config(dir))) {
            assertEquals(5, s.get("c").orElseThrow().committedOffset());
        }
    }

    @Test
    void shouldContinueTheWalInPlaceWithoutANewSnapshotWhenOpenedOnALowDisk() throws Exception {
        try (SessionStore s = SessionStore.open(config(dir))) {
            s.commitOffset("alpha", 1);
            s.commitOffset("alpha", 2);
        }
        Path snap = dir.resolve("sessions").resolve("sessions.snap");
        Path wal = dir.resolve("sessions").resolve("sessions.wal");
        byte[] snapBefore = java.nio.file.Files.readAllBytes(snap);
        assertTrue(java.nio.file.Files.size(wal) >= 1 << 20, "the WAL is allocated ahead with zeros");
        DiskSpace low = DiskSpace.of(dir, Long.MAX_VALUE / 4, 0); // a reserve no disk has: always low
        try (LogTestSupport.CapturedLogs logs = new LogTestSupport.CapturedLogs();
             SessionStore s = SessionStore.open(config(dir), low)) {
            assertEquals(2, s.get("alpha").orElseThrow().committedOffset());
            s.commitOffset("alpha", 3);
            assertTrue(logs.at(ch.qos.logback.classic.Level.WARN).stream().anyMatch(m -> m.contains("opened on a low disk")));
        }
        assertTrue(java.util.Arrays.equals(snapBefore, java.nio.file.Files.readAllBytes(snap)), "no new snapshot");
        try (LogTestSupport.CapturedLogs logs = new LogTestSupport.CapturedLogs();
             SessionStore s = SessionStore.open(config(dir))) {
            assertEquals(3, s.get("alpha").orElseThrow().committedOffset(), "the update written on the low disk survives");
            assertTrue(logs.at(ch.qos.logback.classic.Level.WARN).isEmpty(), "the zeros after the frames are a clean end");
        }
    }

    @Test
    @Timeout(60)
    void fsyncForcesOnceForEveryUpdateQueuedWhileTheWriterWasBusyAndNotAgainWithoutNewOnes() throws Exception {
        try (SessionStore s = SessionStore.open(config(dir).durability(io.gomq.core.config.Durability.FSYNC))) {
            long before = s.forces();
            CompletableFuture<Void> durable;
            try (HeldLock held = HeldSessionWriter.hold(s)) {
                s.commitOffset("alpha", 0); // the writer takes it and stalls on the file
                await().atMost(Duration.ofSeconds(10)).until(held::writerStalled);
                for (int i = 0; i < 50; i++) {
                    s.putInflight("alpha", i + 1, i, InflightState.SENT); // returns at once: the writer is stalled
                    s.commitOffset("alpha", i);
                }
                durable = s.durable();
                assertFalse(durable.isDone(), "nothing is on disk while the writer stalls");
                assertFalse(s.isDurable());
                assertEquals(before, s.forces());
            }
            durable.get(10, TimeUnit.SECONDS);
            assertEquals(before + 2, s.forces(), "one force for the stalled batch, one for the 100 updates queued behind it");
            assertTrue(s.durable().isDone(), "nothing written since: nothing to wait for");
            assertEquals(before + 2, s.forces(), "nothing written since: nothing to force");
            s.removeInflight("alpha", 1);
            s.durable().get(10, TimeUnit.SECONDS);
            assertEquals(before + 3, s.forces());
        }
        try (SessionStore s = SessionStore.open(config(dir))) {
            assertEquals(49, s.get("alpha").orElseThrow().committedOffset());
            assertEquals(49, s.get("alpha").orElseThrow().inflight().size());
        }
    }

    @Test
    void writeNeverForces() throws Exception {
        try (SessionStore s = SessionStore.open(config(dir))) {
            s.commitOffset("alpha", 1);
            s.durable().get(10, TimeUnit.SECONDS);
            assertEquals(0, s.forces());
        }
    }
}
