package io.gomq.launcher.transport;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.launcher.auth.Authenticator;
import io.gomq.launcher.testing.Await;
import io.gomq.launcher.testing.RawWebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.gomq.launcher.testing.RawMqttClient.bytes;
import static io.gomq.launcher.testing.RawMqttClient.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MQTT over WebSocket at the byte level, with the JDK's WebSocket client: frame boundaries are
 * independent of packet boundaries, binary only, the handshake is strict about path and
 * subprotocol, and the listener keeps the TCP listener's rules (CONNECT timeout, cluster refusal).
 */
@Timeout(30)
class WebSocketListenerTest {
    private static final long CONNECT_TIMEOUT_MS = 500;
    private static final int MAX_PACKET = 64 * 1024;
    private static final byte[] CONNACK_OK = bytes(0x20, 2, 0, 0);
    /** SUBSCRIBE id 1: "a/b" at QoS 1. */
    private static final byte[] SUBSCRIBE = bytes(0x82, 8, 0, 1, 0, 3, 'a', '/', 'b', 1);
    private static final byte[] SUBACK = bytes(0x90, 3, 0, 1, 1);
    private static final byte[] PINGREQ = bytes(0xC0, 0);
    private static final byte[] PINGRESP = bytes(0xD0, 0);

    private BrokerEngine engine;
    private TransportMetrics metrics;
    private MqttServer server;
    private int port;

    @BeforeEach
    void start() {
        engine = BrokerEngine.open(BrokerConfig.defaults().persistent(false));
        metrics = new TransportMetrics();
        server = new MqttServer(engine, Authenticator.open(), MAX_PACKET,
                TransportOptions.defaults().connectTimeoutMs(CONNECT_TIMEOUT_MS).ioThreads(1), metrics);
        port = server.listenWebSocket("127.0.0.1", 0, null, "/mqtt").getPort();
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
    }

    private URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    private RawWebSocketClient open() throws Exception {
        return RawWebSocketClient.open(uri("/mqtt"), "mqtt");
    }

    @Test
    void connectSplitOverTwoFramesThenTwoPacketsInOneFrame() throws Exception {
        byte[] connect = EmbeddedWire.connect("ws-split");
        try (RawWebSocketClient ws = open()) {
            assertEquals("mqtt", ws.subprotocol());
            ws.sendBinary(Arrays.copyOfRange(connect, 0, 5), true);
            ws.sendBinary(Arrays.copyOfRange(connect, 5, connect.length), true);
            assertArrayEquals(CONNACK_OK, ws.awaitBytes(4));
            ws.sendBinary(concat(SUBSCRIBE, PINGREQ), true);
            byte[] all = ws.awaitBytes(4 + SUBACK.length + PINGRESP.length);
            assertEquals(hex(concat(CONNACK_OK, SUBACK, PINGRESP)), hex(all));
        }
        Await.await("the connection to close", () -> server.connectionCount() == 0);
        assertEquals(0, metrics.malformedTotal());
    }

    @Test
    void continuationFramesCarryAPacket() throws Exception {
        byte[] connect = EmbeddedWire.connect("ws-fragments");
        try (RawWebSocketClient ws = open()) {
            ws.sendBinary(Arrays.copyOfRange(connect, 0, 3), false);                 // binary, not final
            ws.sendBinary(Arrays.copyOfRange(connect, 3, 10), false);                // continuation
            ws.sendBinary(concat(Arrays.copyOfRange(connect, 10, connect.length), SUBSCRIBE), true); // final
            assertEquals(hex(concat(CONNACK_OK, SUBACK)), hex(ws.awaitBytes(4 + SUBACK.length)));
        }
    }

    @Test
    void textFrameClosesTheConnectionAndIsCounted() throws Exception {
        try (RawWebSocketClient ws = open()) {
            ws.sendBinary(EmbeddedWire.connect("ws-text"), true);
            assertArrayEquals(CONNACK_OK, ws.awaitBytes(4));
            ws.sendText("{\"not\":\"mqtt\"}");
            assertEquals(1003, ws.closed().get(5, TimeUnit.SECONDS), "close: unsupported data");
        }
        assertEquals(1, metrics.violation(TransportMetrics.Violation.WEBSOCKET_TEXT_FRAME).sum());
        Await.await("the connection to close", () -> server.connectionCount() == 0);
    }

    @Test
    void frameOverTheMaxPacketSizeClosesTheConnection() throws Exception {
        try (RawWebSocketClient ws = open()) {
            try {
                ws.sendBinary(new byte[MAX_PACKET + 1], true);
            } catch (ExecutionException e) {
                // the broker read the frame header and closed before the payload was all out
            }
            int code = ws.closed().get(5, TimeUnit.SECONDS);
            assertTrue(code == 1009 || code == -1, "close 1009 (message too big) or the connection ends: " + code);
        }
        Await.await("the connection to close", () -> server.connectionCount() == 0);
    }

    @Test
    void answersWithTheSubprotocolTheClientOffered() throws Exception {
        try (RawWebSocketClient ws = RawWebSocketClient.open(uri("/mqtt"), "mqttv3.1")) {
            assertEquals("mqttv3.1", ws.subprotocol(), "old Paho JavaScript clients");
        }
        try (RawWebSocketClient ws = RawWebSocketClient.open(uri("/mqtt"), "chat", "mqtt")) {
            assertEquals("mqtt", ws.subprotocol());
        }
        try (RawWebSocketClient ws = RawWebSocketClient.open(uri("/mqtt"))) {
            assertEquals("", ws.subprotocol(), "a client offering none is let in");
            ws.sendBinary(EmbeddedWire.connect("ws-none"), true);
            assertArrayEquals(CONNACK_OK, ws.awaitBytes(4));
        }
    }

    @Test
    void wrongSubprotocolOrPathIsRefused() {
        assertEquals(400, refusedStatus(uri("/mqtt"), "chat"));
        assertEquals(404, refusedStatus(uri("/"), "mqtt"));
        assertEquals(404, refusedStatus(uri("/mqtt/x"), "mqtt"));
        Await.await("refused connections to close", () -> server.connectionCount() == 0);
    }

    @Test
    void plainHttpRequestGetsAnErrorAndAClose() throws Exception {
        HttpClient http = RawWebSocketClient.http();
        HttpResponse<String> onPath = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mqtt")).build(),
                    HttpResponse.BodyHandlers.ofString());
        assertEquals(400, onPath.statusCode());
        assertEquals("close", onPath.headers().firstValue("connection").orElse(""));
        HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, elsewhere.statusCode());
        assertTrue(elsewhere.body().contains("/mqtt"), elsewhere.body());
        Await.await("refused connections to close", () -> server.connectionCount() == 0);
    }

    @Test
    void socketThatNeverUpgradesIsClosedByTheConnectTimeout() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write("GET /mqtt HTTP/1.1\r\nHost: x\r\n".getBytes()); // headers never end
            InputStream in = s.getInputStream();
            long t0 = System.nanoTime();
            assertEquals(-1, in.read(), "closed without an answer");
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) >= CONNECT_TIMEOUT_MS / 2);
        }
        assertEquals(1, metrics.connectTimeouts.sum());
    }

    @Test
    void clusterMemberRefusesConnectOverWebSocketLikeOverTcp() throws Exception {
        server.acceptClients(false);
        try (RawWebSocketClient ws = open()) {
            ws.sendBinary(EmbeddedWire.connect("ws-member"), true);
            assertArrayEquals(bytes(0x20, 2, 0, 3), ws.awaitBytes(4), "CONNACK 3: server unavailable");
            ws.closed().get(5, TimeUnit.SECONDS);
        }
        assertEquals(1, metrics.connectsRefused.sum());
    }

    private static int refusedStatus(URI uri, String subprotocol) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> RawWebSocketClient.open(uri, subprotocol).close());
        return assertInstanceOf(WebSocketHandshakeException.class, e.getCause()).getResponse().statusCode();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
