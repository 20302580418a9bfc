package io.gomq.launcher.cluster;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.replication.EpochHistory;
import io.gomq.core.replication.EpochStore;
import io.gomq.core.replication.ReplicaFollower;
import io.gomq.core.replication.ReplicationLeader;
import io.gomq.core.replication.ReplicationSettings;
import io.gomq.core.replication.SyncCodec;
import io.gomq.core.replication.SyncPacket;
import io.gomq.launcher.testing.AuditCapture;
import io.gomq.launcher.testing.TestPki;
import io.gomq.launcher.tls.PeerTls;
import io.gomq.launcher.tls.TlsFiles;
import io.gomq.launcher.tls.TlsMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;

import static io.gomq.launcher.cluster.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Mutual TLS on the replication stream over real sockets: a member with a certificate of the
 * cluster CA replicates; a member with another CA's certificate, and a plain TCP peer sending a
 * SYNCREQ, are refused before the replication protocol, counted and audited.
 */
@Timeout(120) // generous: six TLS contexts and three logs on a shared, loaded CI machine
class ReplicationTlsTest {

    private static MessageLog open(Path dir) {
        return MessageLog.open(BrokerConfig.defaults().dataDir(dir).durability(Durability.WRITE)
                .compactionIntervalMs(3_600_000).retentionMs(0));
    }

    private static ReplicationClient client(MessageLog log, String id, PeerTls tls) {
        return new ReplicationClient(new ReplicaFollower(log, id, EpochStore.inMemory(), 1 << 20), 2_000, id, tls);
    }

    @Test
    void memberWithClusterCertificateReplicatesAndStrangersAreRefused(@TempDir Path dir) throws Exception {
        TestPki.Ca cluster = TestPki.ca(dir, "cluster");
        TestPki.Issued leaderCert = cluster.server("leader");
        TestPki.Issued memberCert = cluster.server("member");
        TestPki.Issued strangerCert = TestPki.ca(dir, "stranger").server("stranger");
        TlsMetrics leaderMetrics = new TlsMetrics();
        TlsMetrics other = new TlsMetrics();
        try (AuditCapture audit = new AuditCapture();
             MessageLog leaderLog = open(dir.resolve("leader")); MessageLog memberLog = open(dir.resolve("member"));
             MessageLog strangerLog = open(dir.resolve("stranger"));
             ReplicationServer server = new ReplicationServer("127.0.0.1", 0,
                     new PeerTls(new TlsFiles(leaderCert.certFile(), leaderCert.keyFile(), cluster.certFile()), leaderMetrics),
                     e -> { });
             ReplicationClient member = client(memberLog, "member",
                     new PeerTls(new TlsFiles(memberCert.certFile(), memberCert.keyFile(), cluster.certFile()), other));
             // trusts the cluster CA (it would accept the leader), but its own certificate is another CA's
             ReplicationClient stranger = client(strangerLog, "stranger",
                     new PeerTls(new TlsFiles(strangerCert.certFile(), strangerCert.keyFile(), cluster.certFile()), other))) {
            for (int i = 0; i < 10; i++) {
                leaderLog.append(Message.of("t", ("m" + i).getBytes(), Qos.AT_LEAST_ONCE, false));
            }
            server.activate(new ReplicationLeader(leaderLog, 1, EpochHistory.of(new EpochHistory.Epoch(1, 0)),
                    ReplicationSettings.defaults().heartbeatMs(50)));
            String endpoint = "127.0.0.1:" + server.port();
            stranger.follow(endpoint, 1);
            member.follow(endpoint, 1);

            await(() -> memberLog.endOffset() == 10, 10_000, "the member's copy");
            await(() -> leaderMetrics.replicationPeersRefused.sum() >= 2, 10_000, "the stranger's attempts refused");
            assertEquals(0, strangerLog.endOffset(), "nothing replicated to the stranger");
            // a JDK member sends no certificate at all when the leader's CA list does not name its issuer
            assertNotNull(audit.find("event=cert_rejected", "listener=replication-server", "address=/127.0.0.1:"),
                    "audit: " + audit.lines());

            // a plain TCP peer, then one that presents another CA's certificate whatever the leader asks for:
            // each sends a SYNCREQ and gets no SYNCACK
            assertRefused(server, leaderMetrics, new Socket(), strangerLog);
            assertRefused(server, leaderMetrics, strangerCert.sslContext(cluster).getSocketFactory().createSocket(), strangerLog);
            // waited for, not asserted at once: the stranger member's retries count as refusals too, so the
            // count assertRefused waits for may have risen before these peers' audit lines were written
            await(() -> audit.find("event=cert_rejected", "listener=replication-server", "no cluster certificate") != null,
                    10_000, "the plain peer audited");
            await(() -> audit.find("event=cert_rejected", "listener=replication-server", "subject=\"CN=localhost\"",
                    "not signed by a trusted CA") != null, 10_000, "the other CA's peer audited: " + audit.lines());
        }
    }

    private static void assertRefused(ReplicationServer server, TlsMetrics metrics, Socket socket, MessageLog log)
            throws Exception {
        long before = metrics.replicationPeersRefused.sum();
        try (socket) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000);
            socket.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            Object reply;
            try {
                SyncStreams.write(socket.getOutputStream(), new SyncCodec(),
                        new ReplicaFollower(log, "peer", EpochStore.inMemory(), 1 << 20).request());
                reply = SyncStreams.read(in, new SyncCodec(), 1 << 20);
            } catch (IOException | RuntimeException e) {
                reply = e; // closed, or a TLS alert that is no replication packet
            }
            assertFalse(reply instanceof SyncPacket.SyncAck, "a SYNCREQ without the cluster certificate got " + reply);
        }
        await(() -> metrics.replicationPeersRefused.sum() > before, 10_000, "the peer counted as refused");
    }
}
