package io.gomq.launcher.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client (the JDK's java.net.http.WebSocket) that sends exact frames and
 * collects the bytes of the binary frames it receives, for MQTT over WebSocket tests.
 */
public final class RawWebSocketClient implements AutoCloseable {
    /** One client for all tests: Java 17's HttpClient cannot be shut down, its threads are daemons. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final WebSocket ws;
    private final Collector collector;

    private RawWebSocketClient(WebSocket ws, Collector collector) {
        this.ws = ws;
        this.collector = collector;
    }

    /** The shared HTTP client, for plain requests next to the WebSocket ones. */
    public static HttpClient http() {
        return HTTP;
    }

    /** Opens {@code uri} offering {@code subprotocols}; fails with the handshake's error. */
    public static RawWebSocketClient open(URI uri, String... subprotocols) throws Exception {
        Collector collector = new Collector();
        WebSocket.Builder b = HTTP.newWebSocketBuilder();
        if (subprotocols.length > 0) {
            b.subprotocols(subprotocols[0], Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        return new RawWebSocketClient(b.buildAsync(uri, collector).get(5, TimeUnit.SECONDS), collector);
    }

    /** The subprotocol the server chose ("" for none). */
    public String subprotocol() {
        return ws.getSubprotocol();
    }

    /** One binary frame; {@code last} false leaves the message open for continuation frames. */
    public RawWebSocketClient sendBinary(byte[] bytes, boolean last) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(bytes), last).get(5, TimeUnit.SECONDS);
        return this;
    }

    public RawWebSocketClient sendText(String text) throws Exception {
        ws.sendText(text, true).get(5, TimeUnit.SECONDS);
        return this;
    }

    /** Waits until {@code n} bytes have arrived in binary frames and returns them all. */
    public byte[] awaitBytes(int n) {
        Await.await(n + " bytes over the WebSocket", () -> collector.size() >= n || collector.closed.isDone());
        return collector.bytes();
    }

    /** Completes with the status code of the server's close frame, or -1 when the connection just ended. */
    public CompletableFuture<Integer> closed() {
        return collector.closed;
    }

    @Override
    public void close() {
        ws.abort();
    }

    private static final class Collector implements WebSocket.Listener {
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();

        synchronized int size() {
            return received.size();
        }

        synchronized byte[] bytes() {
            return received.toByteArray();
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            synchronized (this) {
                received.writeBytes(b);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            closed.completeExceptionally(new AssertionError("the broker sent a text frame: " + data));
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }
    }
}
