package io.gomq.launcher.cluster;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.gomq.launcher.auth.PasswordHasher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.gomq.launcher.cluster.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replication over real sockets, catch-up, failover after a crash, old-leader truncation, credentials. */
@Timeout(90)
class ClusterReplicationTest {
    @RegisterExtension
    static final EtcdExtension etcd = new EtcdExtension();


    private static TestNode awaitLeader(List<TestNode> nodes) throws InterruptedException {
        await(() -> nodes.stream().filter(TestNode::isLeader).count() == 1
                && nodes.stream().allMatch(n -> n.node.epoch() > 0 && n.node.role() != ClusterNode.Role.STARTING),
                10_000, "a leader and its members");
        return nodes.stream().filter(TestNode::isLeader).findFirst().orElseThrow();
    }

    @Test
    void thousandsOfRecordsReachTwoMembersWithIdenticalOffsetsAndMinInsyncAcks(@TempDir Path dir) throws Exception {
        try (TestNode a = new TestNode("a", dir, etcd.uri(), "repl", 2);
             TestNode b = new TestNode("b", dir, etcd.uri(), "repl", 2);
             TestNode c = new TestNode("c", dir, etcd.uri(), "repl", 2)) {
            List<TestNode> all = List.of(a, b, c);
            TestNode leader = awaitLeader(all);
            long t0 = System.nanoTime();
            leader.append(20_000, "payload-");
            leader.node.awaitReplicated(19_999).get(20, TimeUnit.SECONDS);
            System.out.printf("20000 records replicated to 2 members (min-insync 2) in %d ms%n",
                    (System.nanoTime() - t0) / 1_000_000);
            List<String> expected = leader.dump();
            for (TestNode n : all) {
                await(() -> n.log.endOffset() == 20_000, 10_000, n.id + " caught up");
                assertEquals(expected, n.dump(), n.id + " holds the same records at the same offsets");
            }
            var st = leader.node.status(1, 2, -1);
            assertEquals(2, st.members().stream().filter(m -> !m.nodeId().equals("a") && m.inSync() && m.offset() == 20_000).count(), st.toString());
        }
    }

    @Test
    void memberCatchesUpAfterBeingOffline(@TempDir Path dir) throws Exception {
        try (TestNode a = new TestNode("a", dir, etcd.uri(), "catchup", 0);
             TestNode b = new TestNode("b", dir, etcd.uri(), "catchup", 0)) {
            TestNode leader = awaitLeader(List.of(a, b));
            TestNode member = leader == a ? b : a;
            leader.append(1_000, "before-");
            await(() -> member.log.endOffset() == 1_000, 10_000, "first copy");
            member.close(); // offline: node and log closed
            leader.append(3_000, "while-offline-");
            member.start(etcd.uri(), "catchup", 0);
            await(() -> member.log.endOffset() == 4_000, 10_000, "catch-up after restart");
            assertEquals(leader.dump(), member.dump());
            assertEquals(ClusterNode.Role.MEMBER, member.node.role());
        }
    }

    @Test
    void memberTakesOverWithinTwoLeaseTtlsAfterALeaderCrashAndTheOldLeaderTruncatesAndFollows(@TempDir Path dir)
            throws Exception {
        TestNode a = new TestNode("a", dir, etcd.uri(), "failover", 1);
        TestNode b = new TestNode("b", dir, etcd.uri(), "failover", 1);
        TestNode c = new TestNode("c", dir, etcd.uri(), "failover", 1);
        List<TestNode> all = List.of(a, b, c);
        try {
            TestNode old = awaitLeader(all);
            List<TestNode> rest = all.stream().filter(n -> n != old).toList();
            old.append(2_000, "acked-");
            old.node.awaitReplicated(1_999).get(10, TimeUnit.SECONDS);
            for (TestNode n : rest) {
                await(() -> n.log.endOffset() == 2_000, 10_000, n.id + " copy");
            }
            List<String> acked = old.dump();
            // the members stop copying; the leader writes 100 records nobody else gets, then dies
            rest.forEach(n -> n.node.replicationPaused(true));
            old.append(100, "unreplicated-");
            long crashedAt = System.nanoTime();
            old.crash();
            rest.forEach(n -> n.node.replicationPaused(false));
            await(() -> rest.stream().filter(TestNode::isLeader).count() == 1, 4_000, "a new leader within 2 x TTL");
            long failoverMs = (System.nanoTime() - crashedAt) / 1_000_000;
            System.out.printf("failover after a leader crash (lease TTL 2 s): %d ms%n", failoverMs);
            assertTrue(failoverMs < 4_000, "failover took " + failoverMs + " ms");
            TestNode next = rest.stream().filter(TestNode::isLeader).findFirst().orElseThrow();
            assertEquals(acked, next.dump(), "every record replicated to the in-sync set survives");
            next.append(50, "new-epoch-");

            old.start(etcd.uri(), "failover", 1); // the old leader comes back (same data dir)
            assertEquals(2_100, old.log.endOffset(), "it still holds its unreplicated suffix at restart");
            await(() -> old.node.role() == ClusterNode.Role.MEMBER && old.log.endOffset() == 2_050, 10_000,
                    "old leader truncated and caught up");
            assertEquals(next.dump(), old.dump());
            assertFalse(old.dump().stream().anyMatch(s -> s.contains("unreplicated-")));
        } finally {
            for (TestNode n : all) {
                try {
                    n.close();
                } catch (RuntimeException ignored) {
                    // the crashed node's log is closed already
                }
            }
        }
    }

    @Test
    void credentialsComeFromEtcdAndFollowChanges(@TempDir Path dir) throws Exception {
        PasswordHasher hasher = new PasswordHasher(1_000);
        EtcdKeys keys = new EtcdKeys("auth");
        try (Client admin = Client.builder().endpoints(etcd.uri()).build()) {
            admin.getKVClient().put(keys.user("alice"), ByteSequence.from(hasher.hash("secret".toCharArray()),
                    StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
            try (EtcdAuthenticator auth = EtcdAuthenticator.connect(List.of(etcd.uri()), null, "auth", false)) {
                assertTrue(auth.authenticate("alice", "secret".getBytes(StandardCharsets.UTF_8)));
                assertFalse(auth.authenticate("alice", "wrong".getBytes(StandardCharsets.UTF_8)));
                assertFalse(auth.authenticate("bob", "pw".getBytes(StandardCharsets.UTF_8)));
                assertFalse(auth.allowsAnonymous());
                admin.getKVClient().put(keys.user("bob"), ByteSequence.from(hasher.hash("pw".toCharArray()),
                        StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
                await(() -> auth.size() == 2, 5_000, "the watch adds bob");
                assertTrue(auth.authenticate("bob", "pw".getBytes(StandardCharsets.UTF_8)));
                admin.getKVClient().delete(keys.user("alice")).get(5, TimeUnit.SECONDS);
                await(() -> auth.size() == 1, 5_000, "the watch removes alice");
                assertFalse(auth.authenticate("alice", "secret".getBytes(StandardCharsets.UTF_8)));
            }
        }
    }
}
