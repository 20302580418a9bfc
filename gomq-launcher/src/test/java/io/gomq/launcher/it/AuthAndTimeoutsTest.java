package io.gomq.launcher.it;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.gomq.core.codec.Connect;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.auth.PasswordHasher;
import io.gomq.launcher.testing.RawMqttClient;
import io.gomq.launcher.testing.TestBrokers;
import io.gomq.launcher.transport.TransportOptions;
import io.gomq.testing.ManualClock;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Credentials (users file), connect timeout and keep-alive enforcement. */
@Timeout(30)
class AuthAndTimeoutsTest {
    @TempDir
    Path dir;

    private StandaloneBroker brokerWithUsers(boolean allowAnonymous) throws Exception {
        // few iterations: the hash carries its count, so the check stays fast in tests
        String hash = new PasswordHasher(1_000).hash("s3cret".toCharArray());
        Path users = Files.writeString(dir.resolve("users"), "# test users\nalice:" + hash + "\n");
        return TestBrokers.start(c -> c.usersFile(users).allowAnonymous(allowAnonymous));
    }

    private static MqttConnectOptions login(String user, String password) {
        MqttConnectOptions o = PahoClients.options(true);
        o.setUserName(user);
        o.setPassword(password.toCharArray());
        return o;
    }

    @Test
    void shouldAcceptClientWhenPasswordMatches() throws Exception {
        try (StandaloneBroker broker = brokerWithUsers(false);
             PahoClients c = PahoClients.connect(TestBrokers.tcpUri(broker), "alice-1", login("alice", "s3cret"))) {
            c.client.subscribe("auth/t", 1);
            c.publish("auth/t", "in", 1, false);
            assertEquals("in", c.next().payload());
        }
    }

    @Test
    void shouldRefuseWithConnack4WhenPasswordIsWrong() throws Exception {
        try (StandaloneBroker broker = brokerWithUsers(false)) {
            MqttException e = assertThrows(MqttException.class,
                    () -> PahoClients.connect(TestBrokers.tcpUri(broker), "alice-2", login("alice", "wrong")));
            assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, e.getReasonCode());
            MqttException unknown = assertThrows(MqttException.class,
                    () -> PahoClients.connect(TestBrokers.tcpUri(broker), "bob", login("bob", "s3cret")));
            assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, unknown.getReasonCode());
            assertEquals(2, broker.transportMetrics().authFailures.sum());
        }
    }

    @Test
    void shouldRefuseWithConnack5WhenAnonymousIsNotAllowed() throws Exception {
        try (StandaloneBroker broker = brokerWithUsers(false);
             RawMqttClient raw = new RawMqttClient(broker.mqttPort())) {
            // CONNACK: type 2, length 2, session present 0, return code 5 (not authorized); then closed
            assertArrayEquals(RawMqttClient.bytes(0x20, 0x02, 0x00, 0x05), raw.connect("anon", true, 0));
            assertTrue(raw.closedWithin(2_000));
        }
    }

    @Test
    void mqtt5ClientsGetReasonCodes0x86ForAWrongPasswordAnd0x87WithoutCredentials() throws Exception {
        try (StandaloneBroker broker = brokerWithUsers(false)) {
            Mqtt5ConnAckException wrong = assertThrows(Mqtt5ConnAckException.class, () -> v5(broker, "alice-5")
                    .connectWith().simpleAuth().username("alice").password("wrong".getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().send());
            assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, wrong.getMqttMessage().getReasonCode());
            Mqtt5ConnAckException anonymous = assertThrows(Mqtt5ConnAckException.class,
                    () -> v5(broker, "anon-5").connect());
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, anonymous.getMqttMessage().getReasonCode());
            Mqtt5BlockingClient ok = v5(broker, "alice-5");
            ok.connectWith().simpleAuth().username("alice").password("s3cret".getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().send();
            ok.disconnect();
        }
    }

    private static Mqtt5BlockingClient v5(StandaloneBroker broker, String id) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.mqttPort()).buildBlocking();
    }

    @Test
    void shouldAcceptAnonymousWhenAllowed() throws Exception {
        try (StandaloneBroker broker = brokerWithUsers(true);
             RawMqttClient raw = new RawMqttClient(broker.mqttPort())) {
            assertArrayEquals(RawMqttClient.bytes(0x20, 0x02, 0x00, 0x00), raw.connect("anon", true, 0));
        }
    }

    @Test
    void shouldHandlePacketsSentRightBehindConnectWhileThePasswordIsChecked() throws Exception {
        try (StandaloneBroker broker = brokerWithUsers(false);
             RawMqttClient raw = new RawMqttClient(broker.mqttPort())) {
            raw.send(new Connect("MQTT", 4, true, 0, "eager", null, "alice", "s3cret".getBytes(StandardCharsets.UTF_8)));
            raw.send(0xC0, 0x00); // PINGREQ before the CONNACK came back
            assertArrayEquals(RawMqttClient.bytes(0x20, 0x02, 0x00, 0x00), raw.readPacket());
            assertArrayEquals(RawMqttClient.bytes(0xD0, 0x00), raw.readPacket());
        }
    }

    @Test
    void shouldCloseConnectionWhenSilentForOneAndAHalfKeepAlives() throws Exception {
        ManualClock clock = new ManualClock();
        try (StandaloneBroker broker = TestBrokers.start(c -> c.broker().clock(clock));
             RawMqttClient raw = new RawMqttClient(broker.mqttPort())) {
            raw.connect("sleepy", true, 10);
            clock.advance(Duration.ofMillis(15_001)); // keep-alive 10 s x 1.5, on the broker's clock
            assertTrue(raw.closedWithin(5_000), "closed once the clock passed keep-alive 10 s x 1.5");
            assertEquals(1, broker.transportMetrics().keepAliveTimeouts.sum());
        }
    }

    @Test
    void shouldKeepConnectionWhenClientPingsWithinKeepAlive() throws Exception {
        ManualClock clock = new ManualClock();
        try (StandaloneBroker broker = TestBrokers.start(c -> c.broker().clock(clock));
             RawMqttClient raw = new RawMqttClient(broker.mqttPort())) {
            raw.connect("pinger", true, 10);
            for (int i = 0; i < 4; i++) { // 56 s in all, never 15 s without a ping
                clock.advance(Duration.ofSeconds(14));
                raw.send(0xC0, 0x00);
                assertArrayEquals(RawMqttClient.bytes(0xD0, 0x00), raw.readPacket());
            }
            assertEquals(0, broker.transportMetrics().keepAliveTimeouts.sum());
            clock.advance(Duration.ofSeconds(16));
            assertTrue(raw.closedWithin(5_000), "silent past the limit after the last ping");
            assertEquals(1, broker.transportMetrics().keepAliveTimeouts.sum());
        }
    }

    @Test
    void shouldCloseEachSilentConnectionAtItsOwnKeepAliveEvenBeyondATurnOfTheSweep() throws Exception {
        ManualClock clock = new ManualClock();
        try (StandaloneBroker broker = TestBrokers.start(c -> c.broker().clock(clock));
             RawMqttClient shortOne = new RawMqttClient(broker.mqttPort());
             RawMqttClient longOne = new RawMqttClient(broker.mqttPort())) {
            shortOne.connect("short", true, 10);
            longOne.connect("long", true, 100); // silent for 150 s: longer than the sweep's wheel turns (128 s)
            clock.advance(Duration.ofMillis(15_001));
            assertTrue(shortOne.closedWithin(5_000), "closed once the clock passed keep-alive 10 s x 1.5");
            assertEquals(1, broker.transportMetrics().keepAliveTimeouts.sum(), "the sweep that closed it left the other");
            clock.advance(Duration.ofMillis(135_000));
            assertTrue(longOne.closedWithin(5_000), "closed once the clock passed keep-alive 100 s x 1.5");
            assertEquals(2, broker.transportMetrics().keepAliveTimeouts.sum());
        }
    }

    @Test
    void shouldCloseConnectionWhenNoConnectArrivesInTime() throws Exception {
        ManualClock clock = new ManualClock();
        // a connect timeout the test's real time never reaches: only the broker's clock can end it
        try (StandaloneBroker broker = TestBrokers.start(c -> c.broker().clock(clock),
                TransportOptions.defaults().connectTimeoutMs(60_000));
             RawMqttClient raw = new RawMqttClient(broker.mqttPort())) {
            TestBrokers.awaitConnectionsOpen(broker, 1); // its timer is armed
            clock.advance(Duration.ofMillis(60_001));
            assertTrue(raw.closedWithin(5_000), "closed once the clock passed the connect timeout");
            assertEquals(1, broker.transportMetrics().connectTimeouts.sum());
            assertFalse(raw.socket().isClosed());
        }
    }

    @Test
    void shouldAcceptConnectArrivingJustBeforeTheConnectTimeout() throws Exception {
        ManualClock clock = new ManualClock();
        try (StandaloneBroker broker = TestBrokers.start(c -> c.broker().clock(clock),
                TransportOptions.defaults().connectTimeoutMs(60_000));
             RawMqttClient raw = new RawMqttClient(broker.mqttPort())) {
            TestBrokers.awaitConnectionsOpen(broker, 1);
            clock.advance(Duration.ofMillis(59_999));
            assertArrayEquals(RawMqttClient.bytes(0x20, 0x02, 0x00, 0x00), raw.connect("late", true, 0));
            clock.advance(Duration.ofMinutes(5)); // the timer ended with the CONNECT: nothing left to fire
            raw.send(0xC0, 0x00);
            assertArrayEquals(RawMqttClient.bytes(0xD0, 0x00), raw.readPacket(), "still connected");
            assertEquals(0, broker.transportMetrics().connectTimeouts.sum());
        }
    }
}
