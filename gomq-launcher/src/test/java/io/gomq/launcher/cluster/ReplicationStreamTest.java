package io.gomq.launcher.cluster;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.replication.EpochHistory;
import io.gomq.core.replication.ReplicationLeader;
import io.gomq.core.replication.ReplicationSettings;
import io.gomq.core.replication.SyncCodec;
import io.gomq.core.replication.SyncPacket;
import io.gomq.core.replication.SyncPacket.SyncAck;
import io.gomq.core.replication.SyncPacket.SyncOffset;
import io.gomq.core.replication.SyncPacket.SyncReq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replication listener over a real socket, the member's side spoken by hand: a stream
 * request gets every later batch without asking again; a pull request (an older member) gets
 * one SYNCACK per request; in both only the member's reported offsets complete the acks.
 */
@Timeout(30)
class ReplicationStreamTest {
    private static final ReplicationSettings SETTINGS = ReplicationSettings.defaults().heartbeatMs(10_000).minInsync(1);

    private static MessageLog open(Path dir) {
        return MessageLog.open(BrokerConfig.defaults().dataDir(dir).durability(Durability.WRITE)
                .compactionIntervalMs(3_600_000).retentionMs(0));
    }

    /** One write of {@code n} records: the log announces it once, so a waiting stream sends them as one batch. */
    private static void append(MessageLog log, int n) {
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(Message.of("t", ("m" + i).getBytes(), Qos.AT_LEAST_ONCE, false));
        }
        log.append(batch);
    }

    @Test
    void aStreamedMemberGetsEachLaterBatchFromOneRequest(@TempDir Path dir) throws Exception {
        try (MessageLog log = open(dir.resolve("leader"));
             ReplicationServer server = new ReplicationServer("127.0.0.1", 0, null, e -> { });
             Socket s = new Socket()) {
            ReplicationLeader leader = new ReplicationLeader(log, 1, EpochHistory.of(new EpochHistory.Epoch(1, 0)), SETTINGS);
            server.activate(leader);
            append(log, 3);
            Member m = new Member(s, server.port());
            m.send(new SyncReq("m1", 0, 0, 1 << 20, true));
            assertEquals(3, m.receive().records().size());

            CompletableFuture<Void> acked = leader.awaitReplicated(4);
            append(log, 2);
            SyncAck second = m.receive(); // no second SYNCREQ: the leader streams (heartbeats are 10 s away)
            assertEquals(2, second.records().size());
            assertFalse(acked.isDone(), "sent is not stored");
            m.send(new SyncOffset(5, SyncOffset.idOf("m1"), 1));
            acked.get(5, TimeUnit.SECONDS);
            assertEquals(5, leader.highWatermark());
        }
    }

    @Test
    void aPullingMemberGetsOneBatchPerRequest(@TempDir Path dir) throws Exception {
        try (MessageLog log = open(dir.resolve("leader"));
             ReplicationServer server = new ReplicationServer("127.0.0.1", 0, null, e -> { });
             Socket s = new Socket()) {
            ReplicationLeader leader = new ReplicationLeader(log, 1,
                    EpochHistory.of(new EpochHistory.Epoch(1, 0)), SETTINGS.heartbeatMs(200));
            server.activate(leader);
            append(log, 3);
            Member m = new Member(s, server.port());
            m.send(new SyncReq("m1", 0, 0, 1 << 20));
            assertEquals(3, m.receive().records().size());
            append(log, 2);
            // without a request nothing comes: the next packet answers the request sent below
            CompletableFuture<Void> acked = leader.awaitReplicated(4);
            m.send(new SyncReq("m1", 1, 3, 1 << 20));
            SyncAck second = m.receive();
            assertEquals(2, second.records().size());
            assertEquals(3, second.records().toList().get(0).offset());
            m.send(new SyncReq("m1", 1, 5, 1 << 20)); // a pull's request reports what it stored
            acked.get(5, TimeUnit.SECONDS);
            assertTrue(m.receive().records().isEmpty(), "held for the heartbeat time, then empty");
        }
    }

    /** The member's side of one connection, by hand. */
    private static final class Member {
        private final SyncCodec codec = new SyncCodec();
        private final DataInputStream in;
        private final OutputStream out;

        Member(Socket s, int port) throws Exception {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(5_000);
            in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            out = s.getOutputStream();
        }

        void send(SyncPacket p) throws Exception {
            SyncStreams.write(out, codec, p);
        }

        SyncAck receive() throws Exception {
            return (SyncAck) SyncStreams.read(in, codec, SyncCodec.DEFAULT_MAX_PACKET_BYTES);
        }
    }
}
