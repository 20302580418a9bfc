package io.gomq.launcher.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --protocol and the MQTT 5 options without an MQTT 5 broker: parsing, usage errors, and how
 * CONNACKs are read (from a peer that answers one CONNECT with fixed bytes). The round trips
 * through the broker are in {@link Mqtt5AgainstBrokerTest}.
 */
@Timeout(30)
class Mqtt5OptionsTest {
    private static CtlRun run(String... args) {
        return CtlRun.of(Map.of(), args);
    }

    @Test
    void protocolTakesTheUsualSpellings() {
        for (String v311 : List.of("3.1.1", "4", "311", "mqttv311", "MQTTv3.1.1", "v3.1.1")) {
            assertEquals(MqttProtocol.V3_1_1, MqttProtocol.parse(v311), v311);
        }
        for (String v5 : List.of("5", "5.0", "v5", "mqttv5", "MQTT5")) {
            assertEquals(MqttProtocol.V5, MqttProtocol.parse(v5), v5);
        }
        assertThrows(IllegalArgumentException.class, () -> MqttProtocol.parse("3.1"));
        assertEquals(ExitCode.USAGE, run("--protocol", "6", "--topic", "A", "pub", "x").code());
    }

    @Test
    void messagePropertiesNeedProtocol5AndMqtt() {
        CtlRun r = run("--topic", "A", "pub", "--user-property", "k=v", "x");
        assertEquals(ExitCode.USAGE, r.code());
        assertTrue(r.err().contains("need --protocol 5"), r.err());
        assertEquals(ExitCode.USAGE, run("--topic", "A", "pub", "--content-type", "text/plain", "x").code());
        assertEquals(ExitCode.USAGE, run("--protocol", "5", "--key", "k", "--topic", "A", "pub", "--expiry", "5", "x").code());
    }

    @Test
    void badPropertyValuesAreUsageErrors() {
        for (List<String> opts : List.of(List.of("--user-property", "novalue"), List.of("--user-property", "=v"),
                List.of("--expiry", "0"), List.of("--expiry", "4294967296"), List.of("--response-topic", "r/#"))) {
            String[] args = new String[opts.size() + 6];
            System.arraycopy(new String[] {"--protocol", "5", "--topic", "A", "pub"}, 0, args, 0, 5);
            for (int i = 0; i < opts.size(); i++) {
                args[5 + i] = opts.get(i);
            }
            args[args.length - 1] = "x";
            assertEquals(ExitCode.USAGE, run(args).code(), opts.toString());
        }
        assertEquals(ExitCode.USAGE, run("--topic", "A", "sub", "--share", "a/b").code());
        assertEquals(ExitCode.USAGE, run("--topic", "A", "sub", "--share", "").code());
    }

    @Test
    void userPropertySplitsAtTheFirstEquals() {
        assertEquals(Map.entry("k", "a=b"), PublishProperties.parseUserProperty("k=a=b"));
        assertEquals(Map.entry("k", ""), PublishProperties.parseUserProperty("k="));
    }

    @Test
    void verboseFieldsNameEachProperty() {
        PublishProperties p = new PublishProperties(List.of(Map.entry("k", "v"), Map.entry("k", "w")), 60L, "r/1",
                "text/plain", new byte[] {1, (byte) 0xAB});
        assertEquals(List.of("content-type=text/plain", "response-topic=r/1", "correlation-data=01ab", "expiry=60",
                "user-property=k=v", "user-property=k=w"), p.describe());
        assertTrue(PublishProperties.NONE.describe().isEmpty());
    }

    @Test
    void broker311OnlyIsNamedAsSuch() throws Exception {
        try (OneAnswerPeer peer = new OneAnswerPeer("20020001")) { // CONNACK, return code 1: unacceptable protocol version
            CtlRun r = run("--protocol", "5", "--connect", peer.address(), "--topic", "A", "pub", "x");
            assertEquals(ExitCode.FAILED, r.code(), r.err());
            assertTrue(r.err().contains("does not speak MQTT 5; use --protocol 3.1.1"), r.err());
            assertEquals(5, peer.connectProtocolLevel(), "sent an MQTT 5 CONNECT");
        }
    }

    @Test
    void mqtt5RefusalsMapToTheExitCodesOf311() throws Exception {
        try (OneAnswerPeer peer = new OneAnswerPeer("2003008700")) { // CONNACK reason 0x87 not authorized, no properties
            assertEquals(ExitCode.NOT_AUTHORIZED, run("--protocol", "5", "--connect", peer.address(), "--topic", "A", "pub", "x").code());
        }
        try (OneAnswerPeer peer = new OneAnswerPeer("2003008800")) { // 0x88 server unavailable: a cluster member
            CtlRun r = run("--protocol", "5", "--connect", peer.address(), "--topic", "A", "pub", "x");
            assertEquals(ExitCode.UNAVAILABLE, r.code(), r.err());
        }
    }

    /** Accepts one connection, reads the CONNECT, answers {@code hex} and waits for the client to close. */
    private static final class OneAnswerPeer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final Thread thread;
        private volatile int protocolLevel = -1;

        OneAnswerPeer(String hex) throws IOException {
            byte[] answer = HexFormat.of().parseHex(hex);
            thread = new Thread(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    // fixed header (1 byte + 1-byte length for this small CONNECT), then "\0\4MQTT" and the level
                    byte[] head = in.readNBytes(9);
                    protocolLevel = head.length == 9 ? head[8] : -1;
                    s.getOutputStream().write(answer);
                    s.getOutputStream().flush();
                    while (in.read() >= 0) {
                        // until the client closes
                    }
                } catch (IOException e) {
                    // the test's assertions report what went wrong
                }
            }, "one-answer-peer");
            thread.start();
        }

        String address() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        int connectProtocolLevel() {
            return protocolLevel;
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(5_000);
        }
    }
}
