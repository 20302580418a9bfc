package io.gomq.launcher.it;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.gomq.core.codec.Subscribe;
import io.gomq.core.message.Qos;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.RawMqttClient;
import io.gomq.launcher.testing.TestBrokers;
import io.gomq.testing.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.gomq.launcher.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Topic levels, subscriptions per session, retained topics and the publish rate over the network,
 * with real clients: each refused with its reason, counted, and the broker serving others meanwhile.
 */
@Timeout(90)
class TopicLimitsTest {
    private static Mqtt5BlockingClient v5(StandaloneBroker broker, String id) {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.mqttPort())
                .buildBlocking();
        c.connect();
        return c;
    }

    private static String levels(int n) {
        return String.join("/", Collections.nCopies(n, "l"));
    }

    /** The return codes of a 3.1.1 SUBACK. */
    static byte[] subAckCodes(byte[] packet) {
        int i = 1;
        while ((packet[i] & 0x80) != 0) {
            i++;
        }
        return java.util.Arrays.copyOfRange(packet, i + 3, packet.length); // length bytes, then the packet id
    }

    static void roundTrip(StandaloneBroker broker, String id) throws Exception {
        try (PahoClients c = PahoClients.connect(broker, id, true)) {
            c.client.subscribe("alive/" + id, 1);
            c.publish("alive/" + id, "yes", 1, false);
            assertEquals("yes", c.next().payload());
        }
    }

    @Test
    void aThousandLevelTopicIsRefusedWithItsReasonCode() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start();
             RawMqttClient raw = new RawMqttClient(broker.mqttPort())) {
            Mqtt5BlockingClient v5 = v5(broker, "deep-v5");
            Mqtt5SubAckException sub = assertThrows(Mqtt5SubAckException.class,
                    () -> v5.subscribeWith().topicFilter(levels(1_000)).send());
            assertEquals(List.of(Mqtt5SubAckReasonCode.TOPIC_FILTER_INVALID), sub.getMqttMessage().getReasonCodes());
            Throwable pub = assertThrows(RuntimeException.class,
                    () -> v5.publishWith().topic(levels(1_000)).qos(MqttQos.AT_LEAST_ONCE).send());
            while (!(pub instanceof Mqtt5DisconnectException) && pub.getCause() != null) {
                pub = pub.getCause(); // the client reports its session ended; the broker's DISCONNECT is the cause
            }
            assertEquals(Mqtt5DisconnectReasonCode.TOPIC_NAME_INVALID, ((Mqtt5DisconnectException) pub).getMqttMessage().getReasonCode());

            raw.connect("deep-311", true, 0);
            raw.send(new Subscribe(1, List.of(new Subscribe.Subscription(levels(1_000), Qos.AT_MOST_ONCE),
                    new Subscribe.Subscription(levels(128), Qos.AT_MOST_ONCE))));
            assertArrayEquals(RawMqttClient.bytes(0x80, 0x00), subAckCodes(raw.readPacket()), "3.1.1: 0x80, the other granted");

            roundTrip(broker, "deep-other");
            assertEquals(3, broker.engine().metrics().refusedTopicLevels.sum());
            assertTrue(broker.metrics().scrape().contains("gomq_limit_refusals_total{kind=\"topic_levels\"} 3.0"));
        }
    }

    @Test
    void aHundredThousandSubscriptionsInOneSessionStopAtTheLimit() throws Exception {
        int limit = 10_000; // the default
        try (StandaloneBroker broker = TestBrokers.start();
             RawMqttClient raw = new RawMqttClient(broker.mqttPort())) {
            raw.connect("hoarder", true, 0);
            int granted = 0;
            int refused = 0;
            for (int packet = 0; packet < 100; packet++) {
                List<Subscribe.Subscription> subs = new ArrayList<>(1_000);
                for (int i = 0; i < 1_000; i++) {
                    subs.add(new Subscribe.Subscription("s/" + packet + "/" + i, Qos.AT_MOST_ONCE));
                }
                raw.send(new Subscribe(packet + 1, subs));
                for (byte code : subAckCodes(raw.readPacket())) {
                    if (code == 0) {
                        granted++;
                    } else {
                        assertEquals((byte) 0x80, code);
                        refused++;
                    }
                }
            }
            assertEquals(limit, granted);
            assertEquals(90_000, refused);
            assertEquals(limit, broker.engine().topicTree().subscriptionCount(), "the tree holds no more");
            roundTrip(broker, "hoard-other");
            assertEquals(90_000, broker.engine().metrics().refusedSubscriptions.sum());
        }
    }

    @Test
    void anMqtt5SubscriptionOverTheLimitGetsQuotaExceeded() {
        try (StandaloneBroker broker = TestBrokers.start(c -> c.broker().maxSubscriptionsPerSession(3))) {
            Mqtt5BlockingClient v5 = v5(broker, "quota");
            for (int i = 0; i < 3; i++) {
                v5.subscribeWith().topicFilter("q/" + i).send();
            }
            Mqtt5SubAckException e = assertThrows(Mqtt5SubAckException.class,
                    () -> v5.subscribeWith().topicFilter("q/3").send());
            assertEquals(List.of(Mqtt5SubAckReasonCode.QUOTA_EXCEEDED), e.getMqttMessage().getReasonCodes());
            v5.unsubscribeWith().topicFilter("q/0").send();
            v5.subscribeWith().topicFilter("q/3").send(); // room again
            v5.disconnect();
        }
    }

    @Test
    void aWildcardSubscriptionPerMessageStaysBounded() throws Exception {
        int limit = 200;
        try (StandaloneBroker broker = TestBrokers.start(c -> c.broker().maxSubscriptionsPerSession(limit))) {
            Mqtt5BlockingClient v5 = v5(broker, "wildcards");
            int refused = 0;
            for (int i = 0; i < 1_000; i++) {
                try {
                    v5.subscribeWith().topicFilter("w/" + i + "/+/#").send();
                } catch (Mqtt5SubAckException e) {
                    assertEquals(List.of(Mqtt5SubAckReasonCode.QUOTA_EXCEEDED), e.getMqttMessage().getReasonCodes());
                    refused++;
                }
                v5.publishWith().topic("w/" + i + "/x/y").send();
            }
            assertEquals(1_000 - limit, refused);
            assertEquals(limit, broker.engine().topicTree().subscriptionCount());
            roundTrip(broker, "wildcards-other");
            v5.disconnect();
        }
    }

    @Test
    void retainedMessagesOverTheLimitAreRefused() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start(c -> c.broker().maxRetainedMessages(3))) {
            Mqtt5BlockingClient v5 = v5(broker, "retainer");
            List<Mqtt5PubAckReasonCode> codes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                try {
                    Mqtt5PublishResult r = v5.toAsync().publishWith().topic("r/" + i).retain(true).qos(MqttQos.AT_LEAST_ONCE)
                            .payload("v".getBytes()).send().get(5, TimeUnit.SECONDS);
                    codes.add(((Mqtt5PublishResult.Mqtt5Qos1Result) r).getPubAck().getReasonCode());
                } catch (ExecutionException e) {
                    codes.add(((Mqtt5PubAckException) e.getCause()).getMqttMessage().getReasonCode());
                }
            }
            assertEquals(List.of(Mqtt5PubAckReasonCode.SUCCESS, Mqtt5PubAckReasonCode.SUCCESS,
                    Mqtt5PubAckReasonCode.SUCCESS, Mqtt5PubAckReasonCode.QUOTA_EXCEEDED,
                    Mqtt5PubAckReasonCode.QUOTA_EXCEEDED), codes);
            assertTrue(v5.getState().isConnected(), "an MQTT 5 publisher stays connected");
            assertEquals(3, broker.engine().retained().size());

            try (PahoClients v311 = PahoClients.connect(broker, "retainer-311", true)) {
                v311.publish("r/9", "v", 1, true); // Paho's own PUBACK wait would throw: the close is the answer
            } catch (org.eclipse.paho.client.mqttv3.MqttException expected) {
                // connection lost: a 3.1.1 client has no PUBACK reason code
            }
            await("the 3.1.1 refusal is counted", () -> broker.engine().metrics().refusedRetained.sum() == 3);
            assertEquals(3, broker.engine().retained().size());
            roundTrip(broker, "retained-other");
            assertTrue(broker.metrics().scrape().contains("gomq_limit_refusals_total{kind=\"retained_messages\"} 3.0"));
        }
    }

    @Test
    void aPublisherOverThePublishRateIsPacedAndLosesNothing() throws Exception {
        ManualClock clock = new ManualClock();
        int rate = 20;
        try (StandaloneBroker broker = TestBrokers.start(c -> {
            c.limits().publishRate(rate);
            c.broker().clock(clock);
        });
             PahoClients sub = PahoClients.connect(broker, "rate-sub", true);
             PahoClients pub = PahoClients.connect(broker, "rate-pub", true)) {
            sub.client.subscribe("rate/t", 0);
            for (int i = 0; i < 60; i++) {
                pub.client.publish("rate/t", ("m" + i).getBytes(StandardCharsets.UTF_8), 0, false); // QoS 0: no wait
            }
            // one second's burst (20) and the one that emptied the bucket; then nothing until the clock moves
            expectNext(sub, 0, 21);
            await("paused", () -> broker.transportMetrics().publishRatePauses.sum() == 1);
            assertTrue(sub.received.isEmpty(), "paced: nothing more without time passing");
            clock.advance(Duration.ofSeconds(1)); // 20 tokens again
            expectNext(sub, 21, 41);
            await("paused again", () -> broker.transportMetrics().publishRatePauses.sum() == 2);
            assertTrue(sub.received.isEmpty(), "paced again");
            clock.advance(Duration.ofSeconds(1));
            expectNext(sub, 41, 60); // nothing dropped, in order
            roundTrip(broker, "rate-other");
        }
    }

    private static void expectNext(PahoClients sub, int from, int to) throws InterruptedException {
        for (int i = from; i < to; i++) {
            assertEquals("m" + i, sub.next().payload(), "nothing dropped, in order");
        }
    }
}
