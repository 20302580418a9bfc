package io.gomq.launcher.cluster;

import io.etcd.jetcd.Client;
import io.gomq.launcher.NodeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.gomq.launcher.cluster.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registration, election and step-down against a real etcd. */
@Timeout(60)
class ClusterElectionTest {
    @RegisterExtension
    static final EtcdExtension etcd = new EtcdExtension();


    private static long leaders(List<TestNode> nodes) {
        return nodes.stream().filter(TestNode::isLeader).count();
    }

    @Test
    void threeNodesElectExactlyOneLeaderAndTheEpochGrowsOnReElection(@TempDir Path dir) throws Exception {
        try (TestNode a = new TestNode("a", dir, etcd.uri(), "elect", 0);
             TestNode b = new TestNode("b", dir, etcd.uri(), "elect", 0);
             TestNode c = new TestNode("c", dir, etcd.uri(), "elect", 0)) {
            List<TestNode> all = List.of(a, b, c);
            await(() -> leaders(all) == 1 && all.stream().allMatch(n -> n.node.epoch() > 0
                    && n.node.role() != ClusterNode.Role.STARTING), 10_000, "one leader, two members");
            TestNode leader = all.stream().filter(TestNode::isLeader).findFirst().orElseThrow();
            long epoch = leader.node.epoch();
            for (TestNode n : all) {
                assertEquals(epoch, n.node.epoch(), n.id + " knows the epoch");
                assertEquals(leader.node.leaderEndpoint(), n.node.leaderEndpoint());
                assertEquals(n != leader, n.log.replicaMode(), n.id + " replica mode");
            }
            NodeStatus st = leader.node.status(1883, 8000, -1);
            assertEquals("leader", st.role());
            assertEquals(epoch, st.epoch());
            await(() -> leader.node.status(1, 2, -1).members().size() == 3, 5_000, "two members connected (the leader lists itself first)");

            leader.node.close(); // a clean shutdown revokes the lease: the others take over at once
            List<TestNode> rest = all.stream().filter(n -> n != leader).toList();
            long t0 = System.nanoTime();
            await(() -> leaders(rest) == 1, 5_000, "a new leader");
            System.out.printf("re-election after a clean leader shutdown: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            TestNode next = rest.stream().filter(TestNode::isLeader).findFirst().orElseThrow();
            assertTrue(next.node.epoch() > epoch, "epoch " + next.node.epoch() + " > " + epoch);
            TestNode other = rest.stream().filter(n -> n != next).findFirst().orElseThrow();
            await(() -> other.node.epoch() == next.node.epoch(), 5_000, "the member follows the new epoch");
        }
    }

    @Test
    void leaderStepsDownAtOnceWhenItsLeaseIsRevoked(@TempDir Path dir) throws Exception {
        try (TestNode a = new TestNode("a", dir, etcd.uri(), "lease", 1);
             TestNode b = new TestNode("b", dir, etcd.uri(), "lease", 1);
             Client admin = Client.builder().endpoints(etcd.uri()).build()) {
            List<TestNode> all = List.of(a, b);
            await(() -> leaders(all) == 1 && all.stream().noneMatch(n -> n.node.role() == ClusterNode.Role.STARTING),
                    10_000, "a leader");
            TestNode leader = all.stream().filter(TestNode::isLeader).findFirst().orElseThrow();
            TestNode member = all.stream().filter(n -> n != leader).findFirst().orElseThrow();
            long epoch = leader.node.epoch();
            member.node.replicationPaused(true);
            leader.append(1, "x");
            var pending = leader.node.awaitReplicated(0);

            admin.getLeaseClient().revoke(leader.node.leaseId()).get(5, TimeUnit.SECONDS);
            await(() -> leader.events.contains("stepdown:" + epoch), 3_000, "step-down");
            assertTrue(leader.log.replicaMode(), "the deposed leader's log refuses writes");
            assertThrows(Exception.class, () -> pending.get(1, TimeUnit.SECONDS), "pending acks fail on step-down");
            member.node.replicationPaused(false);
            await(() -> member.isLeader() && member.node.epoch() > epoch, 5_000, "the member takes over");
            await(() -> leader.node.role() == ClusterNode.Role.MEMBER && leader.node.epoch() == member.node.epoch(),
                    5_000, "the old leader re-registers and follows");
        }
    }
}
