package io.gomq.launcher.cluster;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;
import io.gomq.core.replication.EpochHistory;
import io.gomq.core.replication.EpochStore;
import io.gomq.core.replication.ReplicaFollower;
import io.gomq.core.replication.ReplicationLeader;
import io.gomq.core.replication.ReplicationSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.gomq.launcher.cluster.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The replication listener and client over real sockets, without etcd: fencing of an older epoch. */
@Timeout(30)
class ReplicationFencingTest {

    private static MessageLog open(Path dir) {
        return MessageLog.open(BrokerConfig.defaults().dataDir(dir).durability(Durability.WRITE)
                .compactionIntervalMs(3_600_000).retentionMs(0));
    }

    @Test
    void memberRefusesTheStreamOfADeposedLeaderAndTakesTheNewOne(@TempDir Path dir) throws Exception {
        ReplicationSettings s = ReplicationSettings.defaults().heartbeatMs(50);
        try (MessageLog oldLog = open(dir.resolve("old")); MessageLog newLog = open(dir.resolve("new"));
             MessageLog memberLog = open(dir.resolve("member"));
             ReplicationServer oldServer = new ReplicationServer("127.0.0.1", 0, null, e -> { });
             ReplicationServer newServer = new ReplicationServer("127.0.0.1", 0, null, e -> { });
             ReplicationClient client = new ReplicationClient(
                     new ReplicaFollower(memberLog, "m", EpochStore.inMemory(), 1 << 20), 2_000, "m", null)) {
            for (int i = 0; i < 10; i++) {
                oldLog.append(Message.of("t", ("old" + i).getBytes(), io.gomq.core.message.Qos.AT_LEAST_ONCE, false));
                newLog.append(Message.of("t", ("new" + i).getBytes(), io.gomq.core.message.Qos.AT_LEAST_ONCE, false));
            }
            oldServer.activate(new ReplicationLeader(oldLog, 3, EpochHistory.of(new EpochHistory.Epoch(3, 0)), s));
            newServer.activate(new ReplicationLeader(newLog, 7, EpochHistory.of(new EpochHistory.Epoch(7, 0)), s));
            // etcd says epoch 7 leads, but the member is pointed at the old leader's endpoint (a stale address)
            client.follow("127.0.0.1:" + oldServer.port(), 7);
            await(() -> client.fencedStreams() > 0, 5_000, "the epoch 3 stream refused");
            assertEquals(0, memberLog.endOffset(), "nothing accepted from epoch 3");
            client.follow("127.0.0.1:" + newServer.port(), 7);
            await(() -> memberLog.endOffset() == 10, 5_000, "the epoch 7 stream");
            assertEquals("new9", memberLog.readTopic("t", 9, 1).get(0).message().payloadAsString());
        }
    }
}
