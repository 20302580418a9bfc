package io.gomq.launcher.it;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.limits.LimitRefusal;
import io.gomq.launcher.testing.RawMqttClient;
import io.gomq.launcher.testing.TestBrokers;
import io.gomq.launcher.transport.TransportOptions;
import io.gomq.testing.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.gomq.launcher.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-address connection and CONNECT-rate limits, and slow-drip CONNECTs: the rest of the clients go on. */
@Timeout(60)
class ConnectLimitsTest {
    private static final byte[] CONNACK_OK = RawMqttClient.bytes(0x20, 0x02, 0x00, 0x00);
    private static final byte[] CONNACK_UNAVAILABLE = RawMqttClient.bytes(0x20, 0x02, 0x00, 0x03);

    private static Mqtt5BlockingClient v5From(StandaloneBroker broker, String localAddress, String id) {
        return Mqtt5Client.builder().identifier(id).transportConfig()
                .serverAddress(new InetSocketAddress("127.0.0.1", broker.mqttPort()))
                .localAddress(new InetSocketAddress(localAddress, 0)).applyTransportConfig().buildBlocking();
    }

    @Test
    void connectionsOverThePerAddressLimitAreRefusedOthersConnect() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start(c -> c.limits().maxConnectionsPerAddress(2));
             RawMqttClient a = new RawMqttClient(broker.mqttPort(), "127.0.0.2")) {
            // one after the other: the connection accepted beyond the limit is the one refused
            assertArrayEquals(CONNACK_OK, a.connect("a", true, 0));
            RawMqttClient b = new RawMqttClient(broker.mqttPort(), "127.0.0.2");
            assertArrayEquals(CONNACK_OK, b.connect("b", true, 0));
            try (RawMqttClient third = new RawMqttClient(broker.mqttPort(), "127.0.0.2");
                 RawMqttClient elsewhere = new RawMqttClient(broker.mqttPort(), "127.0.0.3")) {
                assertArrayEquals(CONNACK_UNAVAILABLE, third.connect("c", true, 0), "3.1.1: server unavailable");
                assertTrue(third.closedWithin(2_000));
                assertArrayEquals(CONNACK_OK, elsewhere.connect("d", true, 0), "another address is not limited");
            }
            Mqtt5ConnAckException e = assertThrows(Mqtt5ConnAckException.class,
                    () -> v5From(broker, "127.0.0.2", "v5").connect());
            assertEquals(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED, e.getMqttMessage().getReasonCode());

            b.close();
            await("the closed connections no longer count", () -> broker.connectionCount() == 1);
            try (RawMqttClient again = new RawMqttClient(broker.mqttPort(), "127.0.0.2")) {
                assertArrayEquals(CONNACK_OK, again.connect("e", true, 0));
            }
            assertEquals(2, broker.transportMetrics().limitRefusal(LimitRefusal.CONNECTIONS_PER_IP).sum());
            assertTrue(broker.metrics().scrape().contains("gomq_limit_refusals_total{kind=\"connections_per_ip\"} 2.0"));
        }
    }

    @Test
    void aConnectStormIsHeldToTheRatePerAddress() throws Exception {
        int rate = 5;
        try (StandaloneBroker broker = TestBrokers.start(c -> c.limits().connectRatePerAddress(rate))) {
            int accepted = 0;
            int refused = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                try (RawMqttClient c = new RawMqttClient(broker.mqttPort(), "127.0.0.4")) {
                    byte[] ack = c.connect("storm-" + i, true, 0);
                    if (ack[3] == 0) {
                        accepted++;
                    } else {
                        assertArrayEquals(CONNACK_UNAVAILABLE, ack);
                        refused++;
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            // one second's burst, then the rate: never more, however fast the loop ran
            assertTrue(accepted <= rate + rate * seconds + 1, accepted + " accepted in " + seconds + " s");
            assertTrue(refused > 0);
            assertEquals(refused, broker.transportMetrics().limitRefusal(LimitRefusal.CONNECT_RATE).sum());
            try (PahoClients other = PahoClients.connect(broker, "other-address", true)) {
                assertTrue(other.client.isConnected(), "127.0.0.1 is not limited by 127.0.0.4's storm");
            }
        }
    }

    @Test
    void anMqtt5ClientOverTheConnectRateReadsConnectionRateExceeded() {
        try (StandaloneBroker broker = TestBrokers.start(c -> c.limits().connectRatePerAddress(1))) {
            Mqtt5BlockingClient v5 = v5From(broker, "127.0.0.7", "v5-rate");
            Mqtt5ConnAckReasonCode refused = null;
            for (int i = 0; i < 10 && refused == null; i++) { // one token a second: the second try in a second is refused
                try {
                    v5.connect();
                    v5.disconnect();
                } catch (Mqtt5ConnAckException e) {
                    refused = e.getMqttMessage().getReasonCode();
                }
            }
            assertEquals(Mqtt5ConnAckReasonCode.CONNECTION_RATE_EXCEEDED, refused);
        }
    }

    @Test
    void aSlowDripConnectIsClosedAtTheConnectTimeoutWhileOthersAreServed() throws Exception {
        ManualClock clock = new ManualClock();
        try (StandaloneBroker broker = TestBrokers.start(c -> c.broker().clock(clock),
                TransportOptions.defaults().ioThreads(2).connectTimeoutMs(10_000));
             RawMqttClient drip = new RawMqttClient(broker.mqttPort(), "127.0.0.5")) {
            byte[] connect = RawMqttClient.bytes(0x10, 0x10, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x00,
                    0x00, 0x04, 'd', 'r', 'i', 'p');
            TestBrokers.awaitConnectionsOpen(broker, 1);
            // one byte every 2 s of the broker's clock: bytes keep coming, never a whole CONNECT in time
            for (int i = 0; i < 5; i++) {
                drip.send(connect[i]);
                clock.advance(Duration.ofSeconds(2));
                try (PahoClients c = PahoClients.connect(broker, "meanwhile-" + i, true)) {
                    c.client.subscribe("drip/t", 1);
                    c.publish("drip/t", "served", 1, false);
                    assertEquals("served", c.next().payload(), "others are served while the drip goes on");
                }
            }
            assertTrue(drip.closedWithin(5_000), "closed at the connect timeout although bytes kept coming");
            assertEquals(1, broker.transportMetrics().connectTimeouts.sum());
        }
    }

    @Test
    void manySilentConnectionsAreAllClosedAtTheConnectTimeout() throws Exception {
        ManualClock clock = new ManualClock();
        try (StandaloneBroker broker = TestBrokers.start(c -> c.broker().clock(clock),
                TransportOptions.defaults().ioThreads(2).connectTimeoutMs(10_000))) {
            List<RawMqttClient> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    silent.add(new RawMqttClient(broker.mqttPort(), "127.0.0.6"));
                }
                TestBrokers.awaitConnectionsOpen(broker, 200);
                clock.advance(Duration.ofMillis(10_001));
                await("all closed", () -> broker.transportMetrics().connectTimeouts.sum() == 200);
                await("none left open", () -> broker.connectionCount() == 0);
            } finally {
                for (RawMqttClient c : silent) {
                    c.close();
                }
            }
        }
    }
}
