package io.gomq.launcher.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.gomq.launcher.cluster.EtcdExtension;
import io.gomq.launcher.testing.BrokerProcess;
import io.gomq.launcher.testing.RawMqttClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.gomq.launcher.testing.Await.await;
import static io.gomq.launcher.testing.RawMqttClient.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Brokers as child JVMs ({@link BrokerProcess}) in one cluster over a real etcd: election,
 * CONNACK 3 on members, replication under a Paho QoS 1 load, kill -9 of the leader under load
 * with no acknowledged message lost (read back through a persistent session on the new leader),
 * the old leader rejoining as a member with the leader's log, and an etcd restart.
 * Each test uses its own cluster name on the shared etcd.
 */
@Timeout(120)
class ClusterBrokersTest {
    private static final int LEASE_TTL_S = 2;
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

    private List<BrokerProcess> startCluster(String cluster, int n, String... extra) throws Exception {
        for (int i = 1; i <= n; i++) {
            List<String> args = new ArrayList<>(List.of("--etcd", etcd.endpoint(), "--cluster", cluster,
                    "--node-id", "n" + i, "--lease-ttl", String.valueOf(LEASE_TTL_S)));
            args.addAll(List.of(extra));
            brokers.add(new BrokerProcess("n" + i, tmp.resolve("n" + i), args.toArray(new String[0])).start());
        }
        for (BrokerProcess b : brokers) {
            b.awaitReady(Duration.ofSeconds(30));
        }
        return brokers;
    }

    /** Waits until exactly one live broker says leader and every other live one says member. */
    private BrokerProcess awaitOneLeader(Duration timeout) {
        BrokerProcess[] leader = new BrokerProcess[1];
        await("exactly one leader", timeout, () -> {
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

    private String[] uris() {
        return brokers.stream().filter(BrokerProcess::isAlive).map(BrokerProcess::tcpUri).toArray(String[]::new);
    }

    /** The log end this node reports for itself in /cluster (leader: its own entry; member: its only entry). */
    private static long ownLogEnd(BrokerProcess b) {
        JsonNode c = b.getJson("/cluster");
        if (c == null) {
            return -1;
        }
        for (JsonNode m : c.path("members")) {
            if (m.path("nodeId").asText().equals(b.name())) {
                return m.path("offset").asLong();
            }
        }
        return -1;
    }

    @Test
    void threeBrokersElectOneLeaderMembersRefuseConnectAndReplicateAQos1Load() throws Exception {
        startCluster("elect", 3, "--min-insync", "2");
        BrokerProcess leader = awaitOneLeader(Duration.ofSeconds(20));

        for (BrokerProcess b : brokers) {
            if (b != leader) {
                try (RawMqttClient raw = new RawMqttClient(b.mqttPort())) {
                    assertArrayEquals(bytes(0x20, 0x02, 0x00, 0x03), raw.connect("probe", true, 30),
                            b.name() + " (member) answers CONNACK 3, server unavailable");
                    assertTrue(raw.closedWithin(2_000));
                }
                JsonNode health = b.getJson("/health");
                assertEquals("member", health.path("role").asText());
            }
        }

        // a persistent subscriber makes the QoS 1 load durable (and so replicated)
        MqttConnectOptions subOptions = PahoClients.options(false);
        subOptions.setServerURIs(uris());
        try (PahoClients sub = PahoClients.connect(uris()[0], "sub-elect", subOptions)) {
            assertEquals(leader.tcpUri(), sub.client.getCurrentServerURI(), "Paho with serverURIs lands on the leader");
            sub.client.subscribe("load/#", 1);
            MqttConnectOptions pubOptions = PahoClients.options(true);
            pubOptions.setServerURIs(uris());
            try (PahoClients pub = PahoClients.connect(uris()[0], "pub-elect", pubOptions)) {
                assertEquals(leader.tcpUri(), pub.client.getCurrentServerURI());
                long t0 = System.nanoTime();
                int n = 300;
                for (int i = 0; i < n; i++) {
                    pub.publish("load/" + (i % 5), "m-" + i, 1, false); // returns on PUBACK: replicated to one member
                }
                long micros = (System.nanoTime() - t0) / 1_000 / n;
                System.out.printf("cluster: %d QoS 1 publishes, PUBACK after replication (min-insync 2): %d us each%n",
                        n, micros);
                Set<String> got = new HashSet<>();
                await("subscriber got the load", Duration.ofSeconds(20), () -> {
                    PahoClients.Received r;
                    while ((r = sub.received.poll()) != null) {
                        got.add(r.payload());
                    }
                    return got.size() == n;
                });
            }
        }
        long end = ownLogEnd(leader);
        assertTrue(end >= 300, "leader log end " + end);
        for (BrokerProcess b : brokers) {
            await(b.name() + " holds the leader's log", Duration.ofSeconds(10), () -> ownLogEnd(b) == ownLogEnd(leader));
        }
        JsonNode cluster = leader.getJson("/cluster");
        assertEquals(3, cluster.path("members").size(), cluster.toString());
        for (JsonNode m : cluster.path("members")) {
            assertTrue(m.path("inSync").asBoolean(), cluster.toString());
        }
        JsonNode page = brokers.stream().filter(b -> b != leader).findFirst().orElseThrow()
                .getJson("/messages?topic=load/0&limit=1000");
        assertEquals(60, page.path("messages").size(), "a member's log holds the replicated records: " + page);
    }

    @Test
    void killingTheLeaderUnderQos1LoadLosesNoAcknowledgedMessageAndTheOldLeaderRejoins() throws Exception {
        startCluster("failover", 3, "--min-insync", "2");
        BrokerProcess leader = awaitOneLeader(Duration.ofSeconds(20));

        // a persistent session, offline during the load: everything acknowledged must wait for it
        MqttConnectOptions subOptions = PahoClients.options(false);
        subOptions.setServerURIs(uris());
        try (PahoClients sub = PahoClients.connect(uris()[0], "sub-fo", subOptions)) {
            sub.client.subscribe("fo/#", 1);
            sub.client.disconnect();
        }

        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong killedAt = new AtomicLong();
        AtomicLong firstAckAfterKill = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        String[] all = uris();
        Thread publisher = new Thread(() -> publishUntilStopped(all, acked, stop, killedAt, firstAckAfterKill, failures),
                "publisher");
        publisher.start();
        try {
            await("300 acknowledged publishes", Duration.ofSeconds(30), () -> acked.size() >= 300);
            killedAt.set(System.nanoTime());
            leader.kill();
            BrokerProcess newLeader = awaitOneLeader(Duration.ofSeconds(4 * LEASE_TTL_S));
            long electedMs = (System.nanoTime() - killedAt.get()) / 1_000_000;
            assertNotEquals(leader, newLeader);
            int before = acked.size();
            await("publisher acknowledged on the new leader", Duration.ofSeconds(20),
                    () -> firstAckAfterKill.get() != 0 && acked.size() >= before + 200);
            long ackedMs = (firstAckAfterKill.get() - killedAt.get()) / 1_000_000;
            System.out.printf("cluster failover after kill -9 of the leader (lease TTL %d s): new leader in %d ms, "
                    + "first PUBACK from it after %d ms (%d publish attempts failed meanwhile)%n",
                    LEASE_TTL_S, electedMs, ackedMs, failures.get());
            assertTrue(electedMs <= 2 * LEASE_TTL_S * 1000 + 1000, "failover took " + electedMs + " ms");
        } finally {
            stop.set(true);
            publisher.join(15_000);
        }
        BrokerProcess newLeader = awaitOneLeader(Duration.ofSeconds(5));

        // the persistent session resumes on the new leader and receives every acknowledged message
        MqttConnectOptions resume = PahoClients.options(false);
        resume.setServerURIs(uris());
        Set<String> received = new HashSet<>();
        try (PahoClients sub = PahoClients.connect(uris()[0], "sub-fo", resume)) {
            assertEquals(newLeader.tcpUri(), sub.client.getCurrentServerURI());
            await("every acknowledged message (" + acked.size() + ") received", Duration.ofSeconds(30), () -> {
                PahoClients.Received r;
                while ((r = sub.received.poll()) != null) {
                    received.add(r.payload());
                }
                return received.containsAll(acked);
            });
        }
        System.out.printf("cluster failover: %d acknowledged, %d received by the resumed persistent session%n",
                acked.size(), received.size());

        // the old leader comes back as a member and ends up with the leader's log
        leader.start().awaitReady(Duration.ofSeconds(30));
        await("old leader is a member", Duration.ofSeconds(15), () -> "member".equals(leader.role()));
        await("old leader's log matches the leader's", Duration.ofSeconds(15),
                () -> ownLogEnd(leader) == ownLogEnd(newLeader) && ownLogEnd(leader) > 0);
        JsonNode mine = leader.getJson("/messages?topic=fo/t&limit=1000");
        JsonNode theirs = newLeader.getJson("/messages?topic=fo/t&limit=1000");
        assertEquals(theirs.path("messages"), mine.path("messages"), "same records at the same offsets");
        leader.lines().stream().filter(l -> l.contains("runcat")).forEach(l -> System.out.println("old leader: " + l));
    }

    private static void publishUntilStopped(String[] uris, Set<String> acked, AtomicBoolean stop, AtomicLong killedAt,
                                            AtomicLong firstAckAfterKill, AtomicLong failures) {
        MqttConnectOptions o = PahoClients.options(true);
        o.setServerURIs(uris);
        o.setConnectionTimeout(2);
        MqttClient client = null;
        int seq = 0;
        try {
            client = new MqttClient(uris[0], "pub-fo", new MemoryPersistence());
            client.setTimeToWait(5_000);
            while (!stop.get()) {
                if (!client.isConnected()) {
                    try {
                        client.connect(o);
                    } catch (MqttException e) {
                        failures.incrementAndGet();
                        Thread.sleep(50);
                        continue;
                    }
                }
                String payload = "m-" + seq++;
                try {
                    client.publish("fo/t", payload.getBytes(StandardCharsets.UTF_8), 1, false);
                    acked.add(payload);
                    if (killedAt.get() != 0 && firstAckAfterKill.get() == 0) {
                        firstAckAfterKill.set(System.nanoTime());
                    }
                } catch (MqttException e) {
                    failures.incrementAndGet();
                    try {
                        if (client.isConnected()) {
                            client.disconnectForcibly(0, 100);
                        }
                    } catch (MqttException ignored) {
                        // reconnecting anyway
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (client != null) {
                try {
                    client.disconnectForcibly(0, 100);
                    client.close(true);
                } catch (MqttException ignored) {
                    // test over
                }
            }
        }
    }

    @Test
    void etcdRestartLeavesTheClusterServingAndTheNodesReRegister() throws Exception {
        startCluster("etcdrestart", 2);
        BrokerProcess leader = awaitOneLeader(Duration.ofSeconds(20));
        MqttConnectOptions o = PahoClients.options(true);
        o.setServerURIs(uris());
        try (PahoClients c = PahoClients.connect(uris()[0], "etcd-outage", o)) {
            c.client.subscribe("o/#", 1);
            etcd.kill();
            long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < 3L * LEASE_TTL_S * 1_000_000_000L) { // longer than a lease
                c.publish("o/x", "during", 1, false);
                assertEquals("during", c.next().payload());
                Thread.sleep(200);
            }
            assertTrue(c.client.isConnected(), "the leader kept its clients while etcd was down");
            assertEquals("leader", leader.role());
            etcd.restart();
            c.publish("o/x", "after", 1, false);
            assertEquals("after", c.next().payload());
        }
        awaitOneLeader(Duration.ofSeconds(15));
        await("both nodes registered in etcd again", Duration.ofSeconds(15), () -> registeredMembers("etcdrestart") == 2);
    }

    @Test
    void clusterChecksCredentialsAgainstTheUsersInEtcd() throws Exception {
        try (io.etcd.jetcd.Client c = io.etcd.jetcd.Client.builder().endpoints(etcd.uri()).build()) {
            c.getKVClient().put(io.etcd.jetcd.ByteSequence.from("/gomq/auth/users/alice", StandardCharsets.UTF_8),
                    io.etcd.jetcd.ByteSequence.from(new io.gomq.launcher.auth.PasswordHasher().hash("s3cret".toCharArray()),
                            StandardCharsets.UTF_8)).get();
        }
        startCluster("auth", 1);
        BrokerProcess leader = awaitOneLeader(Duration.ofSeconds(20));
        MqttConnectOptions good = PahoClients.options(true);
        good.setUserName("alice");
        good.setPassword("s3cret".toCharArray());
        try (PahoClients ok = PahoClients.connect(leader.tcpUri(), "alice-1", good)) {
            assertTrue(ok.client.isConnected());
        }
        MqttConnectOptions bad = PahoClients.options(true);
        bad.setUserName("alice");
        bad.setPassword("wrong".toCharArray());
        MqttException refused = org.junit.jupiter.api.Assertions.assertThrows(MqttException.class,
                () -> PahoClients.connect(leader.tcpUri(), "alice-2", bad));
        assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, refused.getReasonCode());
        MqttException anonymous = org.junit.jupiter.api.Assertions.assertThrows(MqttException.class,
                () -> PahoClients.connect(leader.tcpUri(), "anon", PahoClients.options(true)));
        assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, anonymous.getReasonCode());

        // the HTTP API takes the same users: POST /pub needs alice's credentials
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI pub = java.net.URI.create("http://127.0.0.1:" + leader.httpPort() + "/pub");
        String body = "{\"topic\":\"A\",\"body\":\"x\",\"qos\":0}";
        var anonymousPub = http.send(java.net.http.HttpRequest.newBuilder(pub)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymousPub.statusCode(), anonymousPub.body());
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
        var alicePub = http.send(java.net.http.HttpRequest.newBuilder(pub).header("Authorization", basic)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, alicePub.statusCode(), alicePub.body());
    }

    private static int registeredMembers(String cluster) {
        try (io.etcd.jetcd.Client c = io.etcd.jetcd.Client.builder().endpoints(etcd.uri()).build()) {
            return c.getKVClient().get(io.etcd.jetcd.ByteSequence.from("/gomq/" + cluster + "/members/", StandardCharsets.UTF_8),
                    io.etcd.jetcd.options.GetOption.builder().isPrefix(true).build()).get().getKvs().size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static Mqtt5BlockingClient client(BrokerProcess b, String id) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(b.mqttPort()).buildBlocking();
    }

    /** MQTT 5: a member sends a client elsewhere (0x9C); a session with an expiry interval outlives a leader kill. */
    @Test
    void aMemberRefusesMqtt5With0x9CAndASessionWithExpiryOutlivesALeaderKill() throws Exception {
        startCluster("v5", 2);
        BrokerProcess first = awaitOneLeader(Duration.ofSeconds(20));
        BrokerProcess member = brokers.get(0) == first ? brokers.get(1) : brokers.get(0);

        Mqtt5ConnAckException refused = assertThrows(Mqtt5ConnAckException.class, () -> client(member, "probe").connect());
        assertEquals(Mqtt5ConnAckReasonCode.USE_ANOTHER_SERVER, refused.getMqttMessage().getReasonCode());

        Mqtt5BlockingClient sub = client(first, "keeper");
        sub.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        sub.subscribeWith().topicFilter("fo/#").qos(MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect();
        // expires a little after the failover: the new leader's timer must end it
        Mqtt5BlockingClient brief = client(first, "brief");
        brief.connectWith().cleanStart(true).sessionExpiryInterval(8).send();
        brief.disconnect();
        Mqtt5BlockingClient pub = client(first, "pub");
        pub.connect();
        pub.publishWith().topic("fo/1").qos(MqttQos.AT_LEAST_ONCE).payload("queued before the kill".getBytes())
                .userProperties().add("k", "v").applyUserProperties().send(); // acknowledged: replicated to the member
        first.kill();

        BrokerProcess second = awaitOneLeader(Duration.ofSeconds(30));
        assertEquals(member, second, "the member took over");
        Mqtt5BlockingClient back = client(second, "keeper");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = back.publishes(MqttGlobalPublishFilter.ALL)) {
            Mqtt5ConnAck[] ack = new Mqtt5ConnAck[1];
            await("the new leader to accept clients", Duration.ofSeconds(20), () -> {
                try {
                    ack[0] = back.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
                    return true;
                } catch (Mqtt5ConnAckException e) { // 0x9C until it has restored the sessions and serves
                    assertEquals(Mqtt5ConnAckReasonCode.USE_ANOTHER_SERVER, e.getMqttMessage().getReasonCode());
                    return false;
                }
            });
            assertTrue(ack[0].isSessionPresent(), "the session and its expiry were replicated");
            Optional<Mqtt5Publish> p = publishes.receive(10, TimeUnit.SECONDS);
            assertTrue(p.isPresent(), "the queued message after the failover");
            assertEquals("queued before the kill", new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            assertNotNull(p.get().getUserProperties().asList().stream().filter(u -> u.getName().toString().equals("k"))
                    .findFirst().orElse(null), "with its user property");
            await("the new leader expires the brief session", Duration.ofSeconds(20),
                    () -> second.lines().stream().anyMatch(l -> l.contains("session brief expired")));
            Mqtt5BlockingClient again = client(second, "brief");
            assertTrue(!again.connectWith().cleanStart(false).sessionExpiryInterval(0).send().isSessionPresent(),
                    "its expiry ran out after the failover");
            again.disconnect();
        } finally {
            if (back.getState().isConnected()) {
                back.disconnect();
            }
        }
    }

    /** MQTT 5: a leader that loses its lease tells its clients to use another server (DISCONNECT 0x9C). */
    @Test
    void aLeaderThatStepsDownSendsItsMqtt5ClientsDisconnect0x9C() throws Exception {
        startCluster("stepdown", 2);
        BrokerProcess leader = awaitOneLeader(Duration.ofSeconds(20));
        try (RawMqttClient c = new RawMqttClient(leader.mqttPort());
             Client admin = Client.builder().endpoints(etcd.endpoint()).build()) {
            c.send(0x10, 16,                          // 3.1 CONNECT
                    0x00, 0x04, 'M', 'Q', 'T', 'T',
                    0x05,                             // protocol version 5
                    0x02,                             // clean start
                    0x00, 0x00,                       // no keep-alive
                    0x00,                             // no properties
                    0x00, 0x03, 's', 'd', '1');       // client id "sd1"
            assertEquals(0x20, c.readPacket()[0] & 0xFF, "CONNACK from the leader");
            ByteSequence key = ByteSequence.from("/gomq/stepdown/leader", StandardCharsets.UTF_8);
            long lease = admin.getKVClient().get(key).get(5, TimeUnit.SECONDS).getKvs().get(0).getLease();
            admin.getLeaseClient().revoke(lease).get(5, TimeUnit.SECONDS);
            byte[] p = c.readPacket();
            assertEquals(0xE0, p[0] & 0xFF, "3.14 DISCONNECT from the server");
            assertEquals(0x9C, p[2] & 0xFF, "reason 0x9C Use another server");
            assertTrue(c.closedWithin(5_000), "then it closes");
        }
    }
}
