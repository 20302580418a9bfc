package io.gomq.launcher.spec;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.RawMqttClient;
import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.stream.Stream;

import static io.gomq.launcher.testing.Await.await;
import static io.gomq.launcher.testing.RawMqttClient.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A table of malformed packets and protocol violations: each must close the connection that
 * sent it (and only that one), and be counted in the malformed-packet metric, while a client
 * on another connection keeps working.
 */
@Timeout(60)
class MalformedPacketsTest {
    private static final int MAX_PAYLOAD = 1024;
    private static final int MAX_PACKET = 2048;
    /** CONNECT "MQTT" level 4, clean session, keep-alive 0, client id "m". */
    private static final byte[] CONNECT = bytes(0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 0, 0, 1, 'm');

    private static StandaloneBroker broker;
    private static RawMqttClient observer;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBrokers.start(c -> {
            c.broker().maxPayloadBytes(MAX_PAYLOAD);
            c.maxPacketSize(MAX_PACKET);
        });
        observer = new RawMqttClient(broker.mqttPort());
        observer.connect("observer", true, 0);
        observer.send(0x82, 8, 0, 1, 0, 3, 'o', '/', 'k', 0); // SUBSCRIBE id 1 "o/k" QoS 0
        observer.readPacket();
    }

    @AfterAll
    static void stop() throws Exception {
        observer.close();
        broker.close();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                // name, connect first?, bytes
                row("remaining length of five bytes", true, 0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F),
                row("packet over max-packet-size, refused on its header", true, 0x30, 0x90, 0x4E),
                row("payload over max-payload-bytes", true, publishWithPayload(MAX_PAYLOAD + 1)),
                row("SUBSCRIBE with flags 0000 instead of 0010", true, 0x80, 8, 0, 1, 0, 3, 'a', '/', 'b', 0),
                row("PUBREL with flags 0000", true, 0x60, 0x02, 0x00, 0x01),
                row("PINGREQ with a body", true, 0xC0, 0x01, 0x00),
                row("PUBLISH QoS 3", true, 0x36, 0x05, 0, 1, 'a', 0, 1),
                row("PUBLISH QoS 0 with DUP", true, 0x38, 0x03, 0, 1, 'a'),
                row("topic length past the end of the packet (truncated)", true, 0x30, 0x03, 0x00, 0x05, 'a'),
                row("invalid UTF-8 in the topic", true, 0x30, 0x04, 0x00, 0x02, 0xC3, 0x28),
                row("U+0000 in the topic", true, 0x30, 0x04, 0x00, 0x02, 'a', 0x00),
                row("wildcard in a PUBLISH topic", true, 0x30, 0x05, 0x00, 0x03, 'a', '/', '#'),
                row("QoS 1 PUBLISH with packet id 0", true, 0x32, 0x05, 0x00, 0x01, 'a', 0x00, 0x00),
                row("SUBSCRIBE without filters", true, 0x82, 0x02, 0x00, 0x01),
                row("SUBSCRIBE asking QoS 3", true, 0x82, 8, 0, 1, 0, 3, 'a', '/', 'b', 3),
                row("CONNACK sent by a client", true, 0x20, 0x02, 0x00, 0x00),
                row("reserved packet type 0", true, 0x00, 0x00),
                row("reserved packet type 15 (GoMQ SYNCREQ 250 on the client port)", true, 0xFA, 0x00),
                row("second CONNECT", true, CONNECT),
                row("PINGREQ before CONNECT", false, 0xC0, 0x00),
                row("PUBLISH before CONNECT", false, 0x30, 0x03, 0x00, 0x01, 'a'),
                row("CONNECT with reserved flag bit 0 set", false,
                        0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x03, 0, 0, 0, 1, 'm'),
                row("CONNECT with password but no user name", false,
                        0x10, 17, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x42, 0, 0, 0, 1, 'm', 0, 2, 'p', 'w'),
                row("CONNECT with will QoS but no will flag", false,
                        0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x0A, 0, 0, 0, 1, 'm'),
                row("CONNECT truncated inside the client id", false,
                        0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 0, 0, 5, 'm'));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldCloseOnlyThatConnectionWhenPacketIsMalformed(String name, boolean connectFirst, byte[] packet) throws Exception {
        long before = broker.transportMetrics().malformedTotal();
        try (RawMqttClient bad = new RawMqttClient(broker.mqttPort())) {
            if (connectFirst) {
                bad.send(CONNECT);
                assertArrayEquals(bytes(0x20, 0x02, 0x00, 0x00), bad.readPacket());
            }
            bad.send(packet);
            assertTrue(bad.closedWithin(3_000), name + ": the connection must be closed");
        }
        await("malformed counter grows", () -> broker.transportMetrics().malformedTotal() > before);
        assertObserverStillWorks();
    }

    private static void assertObserverStillWorks() throws Exception {
        observer.send(0x30, 0x06, 0, 3, 'o', '/', 'k', '!'); // PUBLISH QoS 0 "o/k" "!" to itself
        assertArrayEquals(bytes(0x30, 0x06, 0, 3, 'o', '/', 'k', '!'), observer.readPacket());
    }

    private static byte[] publishWithPayload(int payloadBytes) {
        int remaining = 2 + 1 + payloadBytes; // topic length, topic "p", payload
        byte[] p = new byte[3 + remaining];
        p[0] = 0x30;
        p[1] = (byte) (0x80 | (remaining & 0x7F));
        p[2] = (byte) (remaining >> 7);
        p[3] = 0;
        p[4] = 1;
        p[5] = 'p';
        Arrays.fill(p, 6, p.length, (byte) 'x');
        return p;
    }

    private static Arguments row(String name, boolean connectFirst, int... packet) {
        return Arguments.of(name, connectFirst, bytes(packet));
    }

    private static Arguments row(String name, boolean connectFirst, byte[] packet) {
        return Arguments.of(name, connectFirst, packet);
    }
}
