package io.gomq.launcher.reliability;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Publishes at one QoS with the HiveMQ client, at most {@code window} unacknowledged at a time
 * and at most {@code ratePerSecond}, each payload a unique id ({@code <clientId>-<seq>}), and
 * records the ids the broker acknowledged (PUBACK at QoS 1, PUBCOMP at QoS 2). Its session is
 * persistent and the client reconnects by itself, each time to the next address {@code uris}
 * gives (a restarted broker listens on new ports; in a cluster only the leader accepts): what
 * was in flight when a broker died is sent again after the reconnect, and its future completes
 * then, for that very message. (Paho's tokens are keyed by packet id, which it reuses across a
 * reconnect: an acknowledgement can complete another message's token, so Paho publishers cannot
 * tell which message was acknowledged.) Retained publishes cycle over {@code state/0..15} so
 * compaction has keys to merge.
 */
final class LoadPublisher implements AutoCloseable {
    private final String clientId;
    private final String topic;
    private final MqttQos qos;
    private final boolean retained;
    private final long nanosPerMessage;
    private final int windowSize;
    private final Semaphore window;
    private final Mqtt3AsyncClient client;
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger nextUri = new AtomicInteger();
    private volatile boolean running = true;
    private final Thread thread;

    LoadPublisher(String clientId, String topic, int qos, boolean retained, int window, int ratePerSecond,
                  Supplier<String[]> uris) {
        this.clientId = clientId;
        this.topic = topic;
        this.qos = MqttQos.fromCode(qos);
        this.retained = retained;
        this.windowSize = window;
        this.window = new Semaphore(window);
        this.nanosPerMessage = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        URI first = URI.create(awaitUri(uris, 0));
        this.client = Mqtt3Client.builder().identifier(clientId).serverHost(first.getHost()).serverPort(first.getPort())
                .automaticReconnect().initialDelay(50, TimeUnit.MILLISECONDS).maxDelay(500, TimeUnit.MILLISECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(c -> connects.incrementAndGet())
                // only to an address a broker of this test listens on now: while ours restarts, its old
                // port may belong to another process (another test's broker would acknowledge, and lose)
                .addDisconnectedListener(c -> c.getReconnector().reconnectWhen(
                        CompletableFuture.supplyAsync(() -> awaitUri(uris, nextUri.getAndIncrement())),
                        (uri, e) -> {
                            if (uri != null) {
                                URI u = URI.create(uri);
                                c.getReconnector().transportConfig().serverHost(u.getHost()).serverPort(u.getPort())
                                        .applyTransportConfig();
                            }
                        }))
                .buildAsync();
        client.connectWith().cleanSession(false).keepAlive(10).send(); // a failed first try reconnects too
        this.thread = new Thread(this::run, "load-" + clientId);
        thread.setDaemon(true);
        thread.start();
    }

    /** The {@code n}th (modulo) address a broker listens on, once there is one. */
    private static String awaitUri(Supplier<String[]> uris, int n) {
        for (int i = 0; i < 600; i++) {
            String[] u = uris.get();
            if (u.length > 0) {
                return u[Math.floorMod(n, u.length)];
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // no broker listening yet
        }
        throw new IllegalStateException("no broker address");
    }

    String clientId() {
        return clientId;
    }

    /** Ids acknowledged so far (a live view). */
    Set<String> acked() {
        return acked;
    }

    /** Publishes that failed (never acknowledged: they may or may not arrive). */
    long failed() {
        return failed.size();
    }

    boolean isConnected() {
        return client.getState() == MqttClientState.CONNECTED;
    }

    /** Stops publishing new ids; those in flight still complete. */
    void stopPublishing() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }

    /** True once every publish has its outcome. */
    boolean drained() {
        return window.availablePermits() == windowSize;
    }

    private void run() {
        long next = System.nanoTime();
        while (running) {
            try {
                if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            next = Math.max(next + nanosPerMessage, System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(100));
            long seq = sent.getAndIncrement();
            String id = clientId + "-" + seq;
            client.publishWith().topic(retained ? topic + "/" + (seq % 16) : topic).qos(qos).retain(retained)
                    .payload(id.getBytes(StandardCharsets.UTF_8)).send()
                    .whenComplete((p, e) -> {
                        (e == null ? acked : failed).add(id);
                        window.release();
                    });
        }
    }

    @Override
    public String toString() {
        return clientId + ": sent " + sent.get() + ", acknowledged " + acked.size() + ", failed " + failed.size()
                + ", window free " + window.availablePermits() + ", " + client.getState() + " (" + connects + " connects)";
    }

    @Override
    public void close() {
        running = false;
        try {
            if (isConnected()) {
                client.disconnect().get(2, TimeUnit.SECONDS);
            }
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
