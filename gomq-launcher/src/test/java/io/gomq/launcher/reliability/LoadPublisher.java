package io.gomq.launcher.reliability;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Publishes at one QoS, at most {@code window} unacknowledged at a time and at most
 * {@code ratePerSecond}, each payload a unique id ({@code <clientId>-<seq>}), and records the ids
 * the broker acknowledged (PUBACK at QoS 1, PUBCOMP at QoS 2). Its session is persistent: what
 * was in flight when a broker died is sent again after the reconnect, as the spec wants. Paho
 * fails the token of such a message with "connection lost" and completes the re-sent copy
 * without telling which id it was: those count as failed (their fate is unknown to the test),
 * yet a QoS 2 one must still never arrive twice. Paho's own in-flight bound equals the window,
 * so the broker's limit on unreleased QoS 2 messages (Receive Maximum, 64) is never exceeded.
 * Retained publishes cycle over a few topics ({@code state/0..15}) so compaction has keys to merge.
 */
final class LoadPublisher extends LoadClient {
    private final String clientId;
    private final String topic;
    private final int qos;
    private final boolean retained;
    private final long nanosPerMessage;
    private final Semaphore window;
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;
    private final Thread thread;

    LoadPublisher(String clientId, String topic, int qos, boolean retained, int window, int ratePerSecond,
                  Supplier<String[]> uris) {
        super(clientId, false, window, uris);
        this.clientId = clientId;
        this.topic = topic;
        this.qos = qos;
        this.retained = retained;
        this.window = new Semaphore(window);
        this.nanosPerMessage = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        this.thread = new Thread(this::run, "load-" + clientId);
        thread.setDaemon(true);
        thread.start();
    }

    String clientId() {
        return clientId;
    }

    /** Ids acknowledged so far (a live view). */
    Set<String> acked() {
        return acked;
    }

    long sent() {
        return sent.get();
    }

    /** Publishes Paho gave up on (never acknowledged: they may or may not arrive). */
    long failed() {
        return failed.get();
    }

    /** Stops publishing new ids; those in flight still complete. */
    void stopPublishing() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }

    /** True once nothing is in flight any more. */
    boolean drained(int windowSize) {
        return window.availablePermits() == windowSize;
    }

    private void run() {
        long next = System.nanoTime();
        while (running) {
            if (!ensureConnected()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // broker down: try again soon
                continue;
            }
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
            long seq = sent.get();
            String id = clientId + "-" + seq;
            MqttMessage m = new MqttMessage(id.getBytes(StandardCharsets.UTF_8));
            m.setQos(qos);
            m.setRetained(retained);
            try {
                client().publish(retained ? topic + "/" + (seq % 16) : topic, m, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        acked.add(id);
                        window.release();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        failed.incrementAndGet();
                        window.release();
                    }
                });
                sent.incrementAndGet();
            } catch (MqttException e) {
                window.release(); // not sent (not connected, or Paho's window full): the id is used again
            }
        }
    }

    @Override
    public void close() {
        running = false;
        super.close();
    }
}
