package io.gomq.launcher.it;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MQTT 5 over the network with the HiveMQ client, and across protocol levels with Paho 3.1.1. */
@Timeout(30)
class Mqtt5ClientsTest {
    private static Mqtt5BlockingClient client(StandaloneBroker broker, String id) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.mqttPort()).buildBlocking();
    }

    private static Mqtt5Publish next(Mqtt5BlockingClient.Mqtt5Publishes publishes) throws InterruptedException {
        Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
        assertTrue(p.isPresent(), "no message within 5 s");
        return p.get();
    }

    private static String text(Mqtt5Publish p) {
        return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void messagePropertiesReachAnMqtt5SubscriberWithItsSubscriptionIdentifier() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start()) {
            Mqtt5BlockingClient sub = client(broker, "v5-sub");
            Mqtt5BlockingClient pub = client(broker, "v5-pub");
            Mqtt5ConnAck ack = sub.connect();
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, ack.getReasonCode());
            assertTrue(ack.getRestrictions().isSharedSubscriptionAvailable());
            assertTrue(ack.getRestrictions().areSubscriptionIdentifiersAvailable());
            assertEquals(64, ack.getRestrictions().getReceiveMaximum());
            pub.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
                sub.subscribeWith().topicFilter("req/#").qos(MqttQos.AT_LEAST_ONCE).send();
                pub.publishWith().topic("req/1").qos(MqttQos.AT_LEAST_ONCE).payload("{}".getBytes())
                        .contentType("application/json").responseTopic("resp/1").correlationData("c-7".getBytes())
                        .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8).messageExpiryInterval(600)
                        .userProperties().add("a", "1").add("a", "2").add("b", "3").applyUserProperties().send();
                Mqtt5Publish p = next(publishes);
                assertEquals("req/1", p.getTopic().toString());
                assertEquals("application/json", p.getContentType().orElseThrow().toString());
                assertEquals("resp/1", p.getResponseTopic().orElseThrow().toString());
                assertArrayEquals("c-7".getBytes(), toArray(p.getCorrelationData().orElseThrow()));
                assertEquals(Mqtt5PayloadFormatIndicator.UTF_8, p.getPayloadFormatIndicator().orElseThrow());
                long expiry = p.getMessageExpiryInterval().orElseThrow();
                assertTrue(expiry > 590 && expiry <= 600, "the remaining interval: " + expiry);
                assertEquals("[(a, 1), (a, 2), (b, 3)]", p.getUserProperties().asList().stream()
                        .map(u -> "(" + u.getName() + ", " + u.getValue() + ")").toList().toString());
            } finally {
                pub.disconnect();
                sub.disconnect();
            }
        }
    }

    private static byte[] toArray(java.nio.ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(MqttQos.class)
    void anMqtt311AndAnMqtt5ClientExchangeMessagesBothWays(MqttQos qos) throws Exception {
        try (StandaloneBroker broker = TestBrokers.start();
             PahoClients v3 = PahoClients.connect(broker, "v3-" + qos, true)) {
            Mqtt5BlockingClient v5 = client(broker, "v5-" + qos);
            v5.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = v5.publishes(MqttGlobalPublishFilter.ALL)) {
                v5.subscribeWith().topicFilter("x/from3").qos(qos).send();
                v3.client.subscribe("x/from5", qos.getCode());
                v3.publish("x/from3", "hello five", qos.getCode(), false);
                Mqtt5Publish p = next(publishes);
                assertEquals("hello five", text(p));
                assertEquals(qos, p.getQos());
                v5.publishWith().topic("x/from5").qos(qos).payload("hello three".getBytes())
                        .userProperties().add("dropped", "for 3.1.1").applyUserProperties().send();
                PahoClients.Received r = v3.next();
                assertEquals("hello three", r.payload());
                assertEquals(qos.getCode(), r.qos());
                v3.publish("x/from3", "retained", 1, true);
                next(publishes);
                v5.unsubscribeWith().topicFilter("x/from3").send();
                v5.subscribeWith().topicFilter("x/from3").qos(qos).send();
                Mqtt5Publish retained = next(publishes);
                assertEquals("retained", text(retained));
                assertTrue(retained.isRetain());
            } finally {
                v5.disconnect();
            }
        }
    }

    @Test
    void aSharedGroupMixesMqtt5AndMqtt311MembersAndEachMessageGoesToOne() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start();
             PahoClients v3 = PahoClients.connect(broker, "share-v3", true);
             PahoClients pub = PahoClients.connect(broker, "share-pub", true)) {
            Mqtt5BlockingClient v5 = client(broker, "share-v5");
            v5.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = v5.publishes(MqttGlobalPublishFilter.ALL)) {
                v5.subscribeWith().topicFilter("$share/workers/jobs/#").qos(MqttQos.AT_LEAST_ONCE).send();
                v3.client.subscribe("$share/workers/jobs/#", 1);
                int n = 20;
                for (int i = 0; i < n; i++) {
                    pub.publish("jobs/" + i, "j" + i, 1, false);
                }
                List<String> got = new java.util.ArrayList<>();
                Optional<Mqtt5Publish> p;
                while (got.size() < n && (p = publishes.receive(300, TimeUnit.MILLISECONDS)).isPresent()) {
                    got.add(text(p.get()));
                }
                PahoClients.Received r;
                while (got.size() < n && (r = v3.poll(2_000)) != null) {
                    got.add(r.payload());
                }
                assertEquals(n, got.size(), "every job once: " + got);
                assertEquals(n, got.stream().distinct().count(), "no job twice: " + got);
            } finally {
                v5.disconnect();
            }
        }
    }

    @Test
    void reasonCodesAnswerBadFiltersAndAnUnsupportedAuthenticationMethod() {
        try (StandaloneBroker broker = TestBrokers.start()) {
            Mqtt5BlockingClient c = client(broker, "codes");
            c.connect();
            Mqtt5SubAckException refused = assertThrows(Mqtt5SubAckException.class, () -> c.subscribeWith()
                    .addSubscription().topicFilter("ok/#").applySubscription()
                    .addSubscription().topicFilter("$gomq/sessions/x").applySubscription().send());
            assertEquals(List.of(Mqtt5SubAckReasonCode.GRANTED_QOS_2, Mqtt5SubAckReasonCode.NOT_AUTHORIZED),
                    refused.getMqttMessage().getReasonCodes());
            c.disconnect();
            Mqtt5BlockingClient auth = Mqtt5Client.builder().identifier("auth").serverHost("127.0.0.1")
                    .serverPort(broker.mqttPort()).enhancedAuth(new NoopAuth()).buildBlocking();
            Mqtt5ConnAckException e = assertThrows(Mqtt5ConnAckException.class, auth::connect);
            assertEquals(Mqtt5ConnAckReasonCode.BAD_AUTHENTICATION_METHOD, e.getMqttMessage().getReasonCode());
        }
    }

    @Test
    void anEmptyClientIdIsAssignedAndTopicAliasesFromTheClientResolve() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start()) {
            Mqtt5BlockingClient sub = Mqtt5Client.builder().serverHost("127.0.0.1").serverPort(broker.mqttPort()).buildBlocking();
            Mqtt5ConnAck ack = sub.connectWith().restrictions().topicAliasMaximum(8).applyRestrictions().send();
            assertTrue(ack.getAssignedClientIdentifier().isPresent(), "assigned client identifier");
            Mqtt5BlockingClient pub = client(broker, "alias-pub");
            pub.connectWith().restrictions().sendTopicAliasMaximum(4).applyRestrictions().send();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
                sub.subscribeWith().topicFilter("a/long/topic/name").qos(MqttQos.AT_LEAST_ONCE).send();
                for (int i = 0; i < 5; i++) {
                    pub.publishWith().topic("a/long/topic/name").qos(MqttQos.AT_LEAST_ONCE).payload(("m" + i).getBytes()).send();
                }
                for (int i = 0; i < 5; i++) {
                    Mqtt5Publish p = next(publishes);
                    assertEquals("a/long/topic/name", p.getTopic().toString());
                    assertEquals("m" + i, text(p));
                }
            } finally {
                pub.disconnect();
                sub.disconnect();
            }
        }
    }

    @Test
    void aSessionWithAnExpiryIntervalKeepsItsMessagesUntilTheClientReturns() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start();
             PahoClients pub = PahoClients.connect(broker, "exp-pub", true)) {
            Mqtt5BlockingClient c = client(broker, "exp");
            c.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
            c.subscribeWith().topicFilter("q/#").qos(MqttQos.AT_LEAST_ONCE).send();
            c.disconnect();
            pub.publish("q/1", "while away", 1, false);
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL)) {
                Mqtt5ConnAck back = c.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
                assertTrue(back.isSessionPresent());
                assertEquals("while away", text(next(publishes)));
            } finally {
                c.disconnect();
            }
            Mqtt5ConnAck fresh = c.connectWith().cleanStart(true).send();
            assertFalse(fresh.isSessionPresent(), "clean start discards the session");
            c.disconnect();
        }
    }

    @Test
    void willsCrossProtocolLevelsWithTheirProperties() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start();
             PahoClients v3watcher = PahoClients.connect(broker, "will-watch-3", true)) {
            v3watcher.client.subscribe("wills/#", 1);
            Mqtt5BlockingClient v5watcher = client(broker, "will-watch-5");
            v5watcher.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = v5watcher.publishes(MqttGlobalPublishFilter.ALL)) {
                v5watcher.subscribeWith().topicFilter("wills/#").qos(MqttQos.AT_LEAST_ONCE).send();
                try (io.gomq.launcher.testing.RawMqttClient dying = new io.gomq.launcher.testing.RawMqttClient(broker.mqttPort())) {
                    dying.send(0x10, 0x24,
                            0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05,
                            0x0E,                                 // will QoS 1, will flag, clean start
                            0x00, 0x3C, 0x00,                     // keep alive 60, no properties
                            0x00, 0x02, 'd', '5',                 // client id "d5"
                            0x07, 0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // will properties: user property k=v
                            0x00, 0x07, 'w', 'i', 'l', 'l', 's', '/', '5', // will topic "wills/5"
                            0x00, 0x02, 'v', '5');                // will payload "v5"
                    assertEquals(0x20, dying.readPacket()[0] & 0xFF);
                } // closed without DISCONNECT: the will goes out
                assertEquals("v5", v3watcher.next().payload(), "an MQTT 5 will reaches a 3.1.1 subscriber");
                Mqtt5Publish own = next(publishes);
                assertEquals("wills/5", own.getTopic().toString());
                assertEquals("[k=v]", own.getUserProperties().asList().stream()
                        .map(u -> u.getName() + "=" + u.getValue()).toList().toString(), "with its properties");
                org.eclipse.paho.client.mqttv3.MqttConnectOptions o = PahoClients.options(true);
                o.setWill("wills/3", "v3".getBytes(StandardCharsets.UTF_8), 1, false);
                PahoClients dying3 = PahoClients.connect(TestBrokers.tcpUri(broker), "d3", o);
                dying3.client.disconnectForcibly(0, 0, false); // no DISCONNECT packet
                Mqtt5Publish fromV3 = next(publishes);
                assertEquals("wills/3", fromV3.getTopic().toString());
                assertEquals("v3", text(fromV3));
                dying3.close();
            } finally {
                v5watcher.disconnect();
            }
        }
    }

    /** An enhanced-authentication mechanism the broker does not know. */
    private static final class NoopAuth implements com.hivemq.client.mqtt.mqtt5.auth.Mqtt5EnhancedAuthMechanism {
        @Override
        public com.hivemq.client.mqtt.datatypes.MqttUtf8String getMethod() {
            return com.hivemq.client.mqtt.datatypes.MqttUtf8String.of("SCRAM-SHA-1");
        }

        @Override
        public int getTimeout() {
            return 5;
        }

        @Override
        public java.util.concurrent.CompletableFuture<Void> onAuth(com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig c,
                com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect connect,
                com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuthBuilder b) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        @Override
        public java.util.concurrent.CompletableFuture<Void> onReAuth(com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig c,
                com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder b) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        @Override
        public java.util.concurrent.CompletableFuture<Boolean> onServerReAuth(com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig c,
                com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth auth, com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder b) {
            return java.util.concurrent.CompletableFuture.completedFuture(false);
        }

        @Override
        public java.util.concurrent.CompletableFuture<Boolean> onContinue(com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig c,
                com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth auth, com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder b) {
            return java.util.concurrent.CompletableFuture.completedFuture(false);
        }

        @Override
        public java.util.concurrent.CompletableFuture<Boolean> onAuthSuccess(com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig c,
                com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck auth) {
            return java.util.concurrent.CompletableFuture.completedFuture(true);
        }

        @Override
        public java.util.concurrent.CompletableFuture<Boolean> onReAuthSuccess(com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig c,
                com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth auth) {
            return java.util.concurrent.CompletableFuture.completedFuture(true);
        }

        @Override
        public void onAuthRejected(com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig c,
                com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck auth) {
        }

        @Override
        public void onReAuthRejected(com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig c,
                com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect auth) {
        }

        @Override
        public void onAuthError(com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig c, Throwable cause) {
        }

        @Override
        public void onReAuthError(com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig c, Throwable cause) {
        }
    }
}
