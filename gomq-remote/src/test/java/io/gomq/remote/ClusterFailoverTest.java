package io.gomq.remote;

import io.gomq.client.Consumer;
import io.gomq.client.ConsumerOptions;
import io.gomq.client.Delivery;
import io.gomq.client.GoMqClient;
import io.gomq.client.MessageStream;
import io.gomq.client.Producer;
import io.gomq.client.Qos;
import io.gomq.client.Replay;
import io.gomq.client.ReplayFrom;
import io.gomq.client.StoredMessage;
import io.gomq.launcher.cluster.EtcdExtension;
import io.gomq.launcher.testing.Await;
import io.gomq.launcher.testing.BrokerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The remote client given every node of a real three-node cluster (child JVMs over a real etcd):
 * it connects to the leader whatever the order (members refuse), and when the leader is killed
 * its producer and its persistent consumer reconnect to the new leader on their own; the session
 * resumes there. A replay given every node's HTTP API, the dead leader's first, tails on at another
 * node from the same offset.
 */
@Timeout(180)
class ClusterFailoverTest {
    @RegisterExtension
    static final EtcdExtension etcd = new EtcdExtension();

    @TempDir
    Path tmp;
    private final List<BrokerProcess> brokers = new ArrayList<>();

    @AfterEach
    void stopBrokers() throws Exception {
        for (BrokerProcess b : brokers) {
            b.close();
        }
    }

    @Test
    void aClientGivenEveryNodeFindsTheLeaderAndFollowsItWhenItDies() throws Exception {
        for (int i = 1; i <= 3; i++) {
            BrokerProcess b = new BrokerProcess("n" + i, tmp.resolve("n" + i), "--etcd", etcd.endpoint(), "--cluster", "remote-failover",
                    "--node-id", "n" + i, "--lease-ttl", "2", "--min-insync", "2");
            brokers.add(b.start()); // one after the other: three JVMs starting at once on a loaded machine time out on etcd
            b.awaitReady(Duration.ofSeconds(60));
        }
        BrokerProcess leader = awaitOneLeader();
        List<String> servers = new ArrayList<>();
        for (BrokerProcess b : brokers) {
            if (b != leader) {
                servers.add(b.tcpUri()); // the members first: the client must go past their refusals
            }
        }
        servers.add(leader.tcpUri());

        List<URI> http = new ArrayList<>();
        http.add(URI.create("http://127.0.0.1:" + leader.httpPort() + "/")); // the leader first: the replay must go on elsewhere
        for (BrokerProcess b : brokers) {
            if (b != leader) {
                http.add(URI.create("http://127.0.0.1:" + b.httpPort() + "/"));
            }
        }

        try (GoMqClient client = RemoteClient.connect(RemoteClientConfig.builder().servers(servers.toArray(String[]::new))
                .http(http.toArray(URI[]::new)).connectTimeout(Duration.ofSeconds(5)).build());
             Consumer consumer = client.consumer(ConsumerOptions.defaults().clientId("failover-sub").cleanSession(false));
             Producer producer = client.producer()) {
            MessageStream stream = consumer.subscribe(List.of("f/#"), Qos.AT_LEAST_ONCE);
            producer.publish("f/1", null, "before".getBytes(), Qos.AT_LEAST_ONCE, false).get(30, TimeUnit.SECONDS);
            Delivery before = stream.poll(Duration.ofSeconds(30));
            assertNotNull(before, "delivered by the leader");
            assertEquals("before", before.payloadAsString());
            Replay replay = client.replay("f/#", ReplayFrom.earliest()); // closed with the client
            StoredMessage logged = replay.poll(Duration.ofSeconds(30));
            assertNotNull(logged, "the leader's log holds what its persistent session was sent");
            assertEquals("before", logged.message().payloadAsString());

            leader.kill();
            BrokerProcess next = awaitOneLeader();
            producer.publish("f/2", null, "after".getBytes(), Qos.AT_LEAST_ONCE, false).get(60, TimeUnit.SECONDS);

            Delivery after = stream.poll(Duration.ofSeconds(60));
            while (after != null && after.payloadAsString().equals("before")) {
                after = stream.poll(Duration.ofSeconds(60)); // QoS 1 is at least once: an acknowledgement the old leader had not replicated
            }
            assertNotNull(after, "the consumer reconnected to " + next.name() + " and its session resumed there");
            assertEquals("after", after.payloadAsString());

            StoredMessage tailed = replay.poll(Duration.ofSeconds(60));
            while (tailed != null && tailed.message().payloadAsString().equals("before")) {
                tailed = replay.poll(Duration.ofSeconds(60)); // the same at-least-once resend, logged again by the new leader
            }
            assertNotNull(tailed, "the replay went on at another node's HTTP API, from the same offset");
            assertEquals("after", tailed.message().payloadAsString());
            assertTrue(tailed.offset() > logged.offset(), "offsets are the replicated log's, the same on every node");
        }
    }

    private BrokerProcess awaitOneLeader() {
        BrokerProcess[] leader = new BrokerProcess[1];
        Await.await("exactly one leader", Duration.ofSeconds(30), () -> {
            List<BrokerProcess> leaders = new ArrayList<>();
            for (BrokerProcess b : brokers) {
                if (!b.isAlive()) {
                    continue;
                }
                String role = b.role();
                if ("leader".equals(role)) {
                    leaders.add(b);
                } else if (!"member".equals(role)) {
                    return false;
                }
            }
            leader[0] = leaders.size() == 1 ? leaders.get(0) : null;
            return leader[0] != null;
        });
        return leader[0];
    }
}
