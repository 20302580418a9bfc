package io.gomq.launcher.it;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.gomq.launcher.cluster.EtcdExtension;
import io.gomq.launcher.testing.BrokerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.gomq.launcher.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MQTT 5 in a two-node cluster with real etcd and child JVMs: a member sends an MQTT 5 client to
 * another server (CONNACK 0x9C), and a session with a Session Expiry Interval survives a kill -9
 * of the leader with its queued message.
 */
@Timeout(120)
class ClusterMqtt5Test {
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

    private BrokerProcess leader() {
        BrokerProcess[] leader = new BrokerProcess[1];
        await("one leader", Duration.ofSeconds(30), () -> {
            leader[0] = brokers.stream().filter(BrokerProcess::isAlive).filter(b -> "leader".equals(b.role()))
                    .findFirst().orElse(null);
            return leader[0] != null && brokers.stream().filter(BrokerProcess::isAlive)
                    .allMatch(b -> b == leader[0] || "member".equals(b.role()));
        });
        return leader[0];
    }

    private static Mqtt5BlockingClient client(BrokerProcess b, String id) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(b.mqttPort()).buildBlocking();
    }

    @Test
    void aMemberRefusesWith0x9CAndASessionWithExpiryOutlivesALeaderKill() throws Exception {
        for (int i = 1; i <= 2; i++) {
            brokers.add(new BrokerProcess("n" + i, tmp.resolve("n" + i), "--etcd", etcd.endpoint(), "--cluster", "v5",
                    "--node-id", "n" + i, "--lease-ttl", "2").start());
        }
        for (BrokerProcess b : brokers) {
            b.awaitReady(Duration.ofSeconds(30));
        }
        BrokerProcess first = leader();
        BrokerProcess member = brokers.get(0) == first ? brokers.get(1) : brokers.get(0);

        Mqtt5ConnAckException refused = assertThrows(Mqtt5ConnAckException.class, () -> client(member, "probe").connect());
        assertEquals(Mqtt5ConnAckReasonCode.USE_ANOTHER_SERVER, refused.getMqttMessage().getReasonCode());

        Mqtt5BlockingClient sub = client(first, "keeper");
        sub.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        sub.subscribeWith().topicFilter("fo/#").qos(MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect();
        Mqtt5BlockingClient pub = client(first, "pub");
        pub.connect();
        pub.publishWith().topic("fo/1").qos(MqttQos.AT_LEAST_ONCE).payload("queued before the kill".getBytes())
                .userProperties().add("k", "v").applyUserProperties().send(); // acknowledged: replicated to the member
        first.kill();

        BrokerProcess second = leader();
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
        } finally {
            if (back.getState().isConnected()) {
                back.disconnect();
            }
        }
    }
}
