package io.gomq.launcher.cluster;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.gomq.launcher.testing.TestPki;
import io.gomq.launcher.tls.PeerTls;
import io.gomq.launcher.tls.TlsFiles;
import io.gomq.launcher.tls.TlsMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.gomq.launcher.cluster.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A cluster on a shared network: a real etcd on https:// with --client-cert-auth, and two nodes
 * that reach it with client certificates and replicate to each other over mutual TLS.
 */
@Timeout(180) // generous: etcd, two nodes and their TLS contexts on a shared, loaded CI machine
class ClusterTlsTest {

    @Test
    void nodesElectAndReplicateOverTlsAndEtcdRefusesAClientWithoutCertificate(@TempDir Path dir) throws Exception {
        TestPki.Ca etcdCa = TestPki.ca(dir, "etcd");
        TestPki.Issued etcdClient = etcdCa.client("etcd-client", "CN=gomq-node");
        TestPki.Ca clusterCa = TestPki.ca(dir, "cluster");
        TlsFiles etcdTls = new TlsFiles(etcdClient.certFile(), etcdClient.keyFile(), etcdCa.certFile());
        try (EtcdServer etcd = EtcdServer.startTls(etcdCa.server("etcd-server"), etcdClient);
             TestNode a = node("a", dir, etcd.uri(), etcdTls, clusterCa);
             TestNode b = node("b", dir, etcd.uri(), etcdTls, clusterCa)) {
            await(() -> (a.isLeader() ^ b.isLeader()) && a.node.epoch() > 0 && b.node.epoch() > 0
                    && a.node.role() != ClusterNode.Role.STARTING && b.node.role() != ClusterNode.Role.STARTING,
                    60_000, "a leader and a member");
            TestNode leader = a.isLeader() ? a : b;
            TestNode member = leader == a ? b : a;
            leader.append(100, "tls-");
            leader.node.awaitReplicated(99).get(30, TimeUnit.SECONDS);
            await(() -> member.log.endOffset() == 100, 30_000, "the member's copy");
            assertEquals(leader.dump(), member.dump());

            try (Client noCert = EtcdClients.open(List.of(etcd.uri()), new TlsFiles(null, null, etcdCa.certFile()))) {
                assertThrows(Exception.class, () -> noCert.getKVClient()
                        .get(ByteSequence.from("/gomq".getBytes())).get(5, TimeUnit.SECONDS));
            }
        }
    }

    private static TestNode node(String id, Path dir, URI etcd, TlsFiles etcdTls, TestPki.Ca clusterCa) throws Exception {
        TestPki.Issued cert = clusterCa.server("node-" + id);
        PeerTls peers = new PeerTls(new TlsFiles(cert.certFile(), cert.keyFile(), clusterCa.certFile()), new TlsMetrics());
        return new TestNode(id, dir, etcd, "tls", 1, s -> s.withTls(etcdTls, peers));
    }
}
