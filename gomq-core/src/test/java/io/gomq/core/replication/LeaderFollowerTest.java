package io.gomq.core.replication;

import io.gomq.core.log.LogRecord;
import io.gomq.core.log.MessageLog;
import io.gomq.core.replication.SyncPacket.SyncAck;
import io.gomq.core.replication.SyncPacket.SyncOffset;
import io.gomq.core.replication.SyncPacket.SyncReq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.gomq.core.replication.ReplicationTestSupport.dump;
import static io.gomq.core.replication.ReplicationTestSupport.msg;
import static io.gomq.core.replication.ReplicationTestSupport.open;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leader and follower logic without sockets: packets go through the codec, in one thread. */
@Timeout(60)
class LeaderFollowerTest {
    private final SyncCodec codec = new SyncCodec();
    private static final ReplicationSettings FAST = ReplicationSettings.defaults().heartbeatMs(5).maxBatchBytes(64 * 1024);

    /** One SYNCREQ/SYNCACK/SYNCOFFSET round; returns the records applied. */
    private int round(ReplicaFollower f, ReplicationLeader.Connection c) throws InterruptedException {
        SyncReq req = (SyncReq) codec.decode(codec.encode(f.request()));
        SyncAck ack = (SyncAck) codec.decode(codec.encode(c.onSyncReq(req)));
        SyncOffset off = f.apply(ack);
        c.onSyncOffset((SyncOffset) codec.decode(codec.encode(off)));
        return ack.records().size() + (ack.truncateTo() >= 0 ? 1 : 0);
    }

    private void catchUp(ReplicaFollower f, ReplicationLeader.Connection c) throws InterruptedException {
        while (round(f, c) > 0) {
            // until a heartbeat
        }
    }

    @Test
    void thousandsOfRecordsReachTwoMembersWithIdenticalOffsets(@TempDir Path dir) throws Exception {
        try (MessageLog leaderLog = open(dir.resolve("l")); MessageLog m1 = open(dir.resolve("m1"));
             MessageLog m2 = open(dir.resolve("m2"))) {
            for (int i = 0; i < 5000; i++) {
                leaderLog.append(msg("t/" + (i % 37), "payload-" + i));
            }
            ReplicationLeader leader = new ReplicationLeader(leaderLog, 3, EpochHistory.of(new EpochHistory.Epoch(3, 0)),
                    FAST.minInsync(2));
            ReplicaFollower f1 = new ReplicaFollower(m1, "m1", EpochStore.inMemory(), 64 * 1024);
            ReplicaFollower f2 = new ReplicaFollower(m2, "m2", EpochStore.inMemory(), 64 * 1024);
            ReplicationLeader.Connection c1 = leader.connect();
            ReplicationLeader.Connection c2 = leader.connect();
            CompletableFuture<Void> acked = leader.awaitReplicated(4999);
            catchUp(f1, c1);
            assertFalse(acked.isDone(), "one member is not enough for min-insync 2");
            catchUp(f2, c2);
            acked.get(1, TimeUnit.SECONDS);
            assertEquals(dump(leaderLog), dump(m1));
            assertEquals(dump(leaderLog), dump(m2));
            assertEquals(5000, leader.highWatermark());
            assertEquals(2, leader.members().stream().filter(MemberState::inSync).count());
            assertEquals(3, f1.epoch(), "the follower stored the leader's epoch");
        }
    }

    @Test
    void aStreamedMemberGetsEachNewBatchWithoutAskingAndItsOffsetsCompleteTheAcks(@TempDir Path dir) throws Exception {
        try (MessageLog leaderLog = open(dir.resolve("l")); MessageLog m1 = open(dir.resolve("m1"))) {
            for (int i = 0; i < 10; i++) {
                leaderLog.append(msg("t", "first-" + i));
            }
            ReplicationLeader leader = new ReplicationLeader(leaderLog, 2, EpochHistory.of(new EpochHistory.Epoch(2, 0)),
                    FAST.minInsync(1));
            ReplicaFollower f = new ReplicaFollower(m1, "m1", EpochStore.inMemory(), 64 * 1024);
            ReplicationLeader.Connection c = leader.connect();
            SyncReq req = (SyncReq) codec.decode(codec.encode(f.request()));
            assertTrue(req.stream(), "a member asks to be streamed to");
            c.onSyncOffset((SyncOffset) codec.decode(codec.encode(f.apply(c.onSyncReq(req)))));
            assertEquals(10, m1.endOffset());

            for (int i = 0; i < 5; i++) {
                leaderLog.append(msg("t", "second-" + i));
            }
            CompletableFuture<Void> acked = leader.awaitReplicated(14);
            SyncAck next = (SyncAck) codec.decode(codec.encode(c.next())); // no SYNCREQ in between
            assertEquals(5, next.records().size());
            assertFalse(acked.isDone(), "sent is not stored: the member's SYNCOFFSET completes the ack");
            c.onSyncOffset((SyncOffset) codec.decode(codec.encode(f.apply(next))));
            acked.get(1, TimeUnit.SECONDS);
            assertEquals(dump(leaderLog), dump(m1));

            SyncAck heartbeat = c.next(); // nothing new: held for the heartbeat time, then empty
            assertTrue(heartbeat.records().isEmpty());
            assertEquals(15, heartbeat.highWatermark());
        }
    }

    /** Every record re-encoded: equal lists mean records equal in every stored field. */
    private static List<String> encoded(MessageLog log) {
        io.gomq.core.log.RecordCodec codec = new io.gomq.core.log.RecordCodec();
        return ReplicationTestSupport.all(log).stream()
                .map(r -> java.util.HexFormat.of().formatHex(codec.array(), 0, codec.encode(r.offset(), r.message())))
                .toList();
    }

    @Test
    void storedRecordsReachTheMemberWholeWithItsIndexesAndRetainedMessages(@TempDir Path dir) throws Exception {
        try (MessageLog leaderLog = open(dir.resolve("l")); MessageLog m1 = open(dir.resolve("m1"))) {
            leaderLog.append(ReplicationTestSupport.retained("r/1", "first"));
            leaderLog.append(io.gomq.core.message.Message.builder("k/1").key("device-7").payload("keyed")
                    .userProperty("unit", "C").contentType("text/plain").origin("client-a").build());
            for (int i = 0; i < 300; i++) {
                leaderLog.append(msg("t/" + (i % 3), "p" + i));
            }
            leaderLog.append(ReplicationTestSupport.retained("r/1", "second"));
            ReplicationLeader leader = new ReplicationLeader(leaderLog, 2, EpochHistory.of(new EpochHistory.Epoch(2, 0)),
                    FAST.minInsync(1));
            catchUp(new ReplicaFollower(m1, "m1", EpochStore.inMemory(), 2048), leader.connect());
            assertEquals(leaderLog.endOffset(), m1.endOffset());
            assertEquals(encoded(leaderLog), encoded(m1), "every field of every record (key, properties, origin...)");
            assertEquals("second", m1.retained("r/1").message().payloadAsString());
            assertEquals(302, m1.retained("r/1").offset());
            assertEquals(100, m1.readTopic("t/1", 0, 1000).size());
            assertEquals(List.of(1L), m1.readTopic("k/1", 0, 10).stream().map(LogRecord::offset).toList());
        }
    }

    @Test
    void allInSyncWaitsForEveryInSyncMemberButNotForOneThatFellOut(@TempDir Path dir) throws Exception {
        try (MessageLog leaderLog = open(dir.resolve("l")); MessageLog m1 = open(dir.resolve("m1"));
             MessageLog m2 = open(dir.resolve("m2"))) {
            ReplicationLeader leader = new ReplicationLeader(leaderLog, 2, EpochHistory.of(new EpochHistory.Epoch(2, 0)),
                    FAST.minInsync(ReplicationSettings.ALL_IN_SYNC).maxLagRecords(100));
            ReplicaFollower f1 = new ReplicaFollower(m1, "m1", EpochStore.inMemory(), 64 * 1024);
            ReplicaFollower f2 = new ReplicaFollower(m2, "m2", EpochStore.inMemory(), 64 * 1024);
            ReplicationLeader.Connection c1 = leader.connect();
            ReplicationLeader.Connection c2 = leader.connect();
            catchUp(f1, c1);
            catchUp(f2, c2);
            CompletableFuture<Void> first = leader.awaitReplicated(leaderLog.append(msg("t", "one")));
            catchUp(f1, c1);
            assertFalse(first.isDone(), "m2 is in sync: all means m2 too");
            catchUp(f2, c2);
            first.get(1, TimeUnit.SECONDS);

            long last = -1;
            for (int i = 0; i < 300; i++) {
                last = leaderLog.append(msg("t", "x" + i));
            }
            catchUp(f1, c1);
            leader.tick(); // m2 is 300 behind with a bound of 100: out of the in-sync set
            assertFalse(leader.members().stream().filter(m -> m.nodeId().equals("m2")).findFirst().orElseThrow().inSync());
            leader.awaitReplicated(last).get(1, TimeUnit.SECONDS); // m1 holds it: enough once m2 is out
        }
    }

    @Test
    void anAcknowledgementNotReplicatedInTimeFailsAtATickAndOneReplicatedInTimeDoesNot(@TempDir Path dir) throws Exception {
        try (MessageLog leaderLog = open(dir.resolve("l")); MessageLog m1 = open(dir.resolve("m1"))) {
            ReplicationLeader leader = new ReplicationLeader(leaderLog, 4, EpochHistory.of(new EpochHistory.Epoch(4, 0)),
                    FAST.minInsync(1));
            ReplicaFollower f = new ReplicaFollower(m1, "m1", EpochStore.inMemory(), 64 * 1024);
            ReplicationLeader.Connection c = leader.connect();
            catchUp(f, c);
            CompletableFuture<Void> patient = leader.awaitReplicated(leaderLog.append(msg("t", "patient")), 60_000);
            CompletableFuture<Void> hasty = leader.awaitReplicated(leaderLog.append(msg("t", "hasty")), 1);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!hasty.isDone() && System.nanoTime() < until) {
                leader.tick(); // the member does not pull: only the deadline can end the wait
            }
            ExecutionException e = assertThrows(ExecutionException.class, () -> hasty.get(0, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof java.util.concurrent.TimeoutException, e.toString());
            assertFalse(patient.isDone(), "an earlier offset with a later deadline waits on");
            catchUp(f, c);
            patient.get(1, TimeUnit.SECONDS);
        }
    }

    @Test
    void aHeldPullWakesOnTheLogsNextAppendLongBeforeItsHeartbeat(@TempDir Path dir) throws Exception {
        try (MessageLog leaderLog = open(dir.resolve("l")); MessageLog m1 = open(dir.resolve("m1"))) {
            ReplicationLeader leader = new ReplicationLeader(leaderLog, 6, EpochHistory.of(new EpochHistory.Epoch(6, 0)),
                    FAST.minInsync(1).heartbeatMs(60_000));
            ReplicaFollower f = new ReplicaFollower(m1, "m1", EpochStore.inMemory(), 64 * 1024);
            ReplicationLeader.Connection c = leader.connect();
            SyncReq req = f.request();
            CompletableFuture<SyncAck> pulled = CompletableFuture.supplyAsync(() -> {
                try {
                    return c.onSyncReq(req);
                } catch (InterruptedException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            leaderLog.append(msg("t", "now")); // the log announces it to the leader: no explicit wake
            SyncAck ack = pulled.get(30, TimeUnit.SECONDS); // a 60 s heartbeat: only the append ends the hold
            assertEquals(1, ack.records().size());
            leader.close();
        }
    }

    @Test
    void allInSyncWithNoMemberAcksAloneOnlyWhileTheLeaseIsFresh(@TempDir Path dir) throws Exception {
        try (MessageLog leaderLog = open(dir.resolve("l"))) {
            ReplicationLeader leader = new ReplicationLeader(leaderLog, 5, EpochHistory.of(new EpochHistory.Epoch(5, 0)),
                    FAST.minInsync(ReplicationSettings.ALL_IN_SYNC));
            java.util.concurrent.atomic.AtomicBoolean fresh = new java.util.concurrent.atomic.AtomicBoolean(false);
            leader.leaseFresh(fresh::get);
            CompletableFuture<Void> acked = leader.awaitReplicated(leaderLog.append(msg("t", "alone")));
            leader.tick();
            assertFalse(acked.isDone(), "no member and no confirmed lease: maybe deposed, no ack");
            fresh.set(true);
            leader.tick();
            acked.get(1, TimeUnit.SECONDS);
        }
    }

    @Test
    void memberBeyondTheLagBoundLeavesTheInSyncSetAndRejoinsAfterCatchingUp(@TempDir Path dir) throws Exception {
        try (MessageLog leaderLog = open(dir.resolve("l")); MessageLog m1 = open(dir.resolve("m1"))) {
            ReplicationLeader leader = new ReplicationLeader(leaderLog, 1, EpochHistory.of(new EpochHistory.Epoch(1, 0)),
                    FAST.minInsync(1).maxLagRecords(100));
            ReplicaFollower f = new ReplicaFollower(m1, "m1", EpochStore.inMemory(), 1024);
            ReplicationLeader.Connection c = leader.connect();
            catchUp(f, c);
            assertTrue(leader.members().get(0).inSync());
            for (int i = 0; i < 500; i++) {
                leaderLog.append(msg("t", "x" + i));
            }
            leader.tick();
            assertFalse(leader.members().get(0).inSync(), "500 behind with a bound of 100");
            CompletableFuture<Void> acked = leader.awaitReplicated(499);
            catchUp(f, c);
            acked.get(1, TimeUnit.SECONDS);
            assertTrue(leader.members().get(0).inSync());
            assertEquals(dump(leaderLog), dump(m1));
        }
    }

    @Test
    void followerRefusesAStreamFromAnOlderEpoch(@TempDir Path dir) throws Exception {
        try (MessageLog leaderLog = open(dir.resolve("l")); MessageLog m1 = open(dir.resolve("m1"))) {
            leaderLog.append(msg("t", "x"));
            ReplicationLeader old = new ReplicationLeader(leaderLog, 4, EpochHistory.of(new EpochHistory.Epoch(4, 0)), FAST);
            ReplicaFollower f = new ReplicaFollower(m1, "m1", EpochStore.inMemory(), 1024);
            f.minEpoch(9); // etcd says the leader of epoch 9 leads now
            ReplicationLeader.Connection c = old.connect();
            FencedException e = assertThrows(FencedException.class, () -> round(f, c));
            assertEquals(9, e.ourEpoch());
            assertEquals(0, m1.endOffset(), "nothing from the deposed leader was stored");
        }
    }

    @Test
    void leaderRefusesAMemberThatSawANewerEpoch(@TempDir Path dir) throws Exception {
        try (MessageLog leaderLog = open(dir.resolve("l"))) {
            ReplicationLeader old = new ReplicationLeader(leaderLog, 4, EpochHistory.of(new EpochHistory.Epoch(4, 0)), FAST);
            assertThrows(FencedException.class, () -> old.connect().onSyncReq(new SyncReq("m", 5, 0, 1024)));
        }
    }

    @Test
    void oldLeaderTruncatesItsUnreplicatedSuffixAndFollowsTheNewLeader(@TempDir Path dir) throws Exception {
        try (MessageLog a = open(dir.resolve("a")); MessageLog b = open(dir.resolve("b"))) {
            EpochStore aEpochs = EpochStore.open(dir.resolve("a-cluster"));
            EpochStore bEpochs = EpochStore.inMemory();
            // epoch 10: A leads, B copies 100 records; then A writes 30 more that B never gets
            aEpochs.epoch(10);
            for (int i = 0; i < 100; i++) {
                a.append(msg("t", "e10-" + i));
            }
            ReplicationLeader leaderA = new ReplicationLeader(a, 10, EpochHistory.of(new EpochHistory.Epoch(10, 0)), FAST);
            catchUp(new ReplicaFollower(b, "b", bEpochs, 4096), leaderA.connect());
            for (int i = 100; i < 130; i++) {
                a.append(msg("t", "lost-" + i));
            }
            leaderA.close();
            // epoch 20: B leads from its end (100) and writes 50 records
            EpochHistory history = EpochHistory.of(new EpochHistory.Epoch(10, 0), new EpochHistory.Epoch(20, 100));
            bEpochs.epoch(20);
            for (int i = 0; i < 50; i++) {
                b.append(msg("t", "e20-" + i));
            }
            ReplicationLeader leaderB = new ReplicationLeader(b, 20, history, FAST);
            // A returns as a member
            a.replicaMode(true);
            ReplicaFollower fa = new ReplicaFollower(a, "a", aEpochs, 4096);
            fa.minEpoch(20);
            catchUp(fa, leaderB.connect());
            assertEquals(1, fa.truncations());
            assertEquals(dump(b), dump(a));
            assertEquals(20, EpochStore.open(dir.resolve("a-cluster")).epoch(), "the new epoch is persisted");
        }
    }

    @Test
    void awaitReplicatedFailsWhenTheLeaderStepsDown(@TempDir Path dir) {
        try (MessageLog log = open(dir)) {
            ReplicationLeader leader = new ReplicationLeader(log, 1, EpochHistory.of(), FAST.minInsync(1));
            CompletableFuture<Void> f = leader.awaitReplicated(log.append(msg("t", "x")));
            leader.close();
            assertThrows(ExecutionException.class, () -> f.get(1, TimeUnit.SECONDS));
        }
    }
}
