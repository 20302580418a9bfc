package io.gomq.launcher.reliability;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Subscribes to {@code filter} at {@code qos} and counts how often each payload (a unique id
 * from a {@link LoadPublisher}) arrived. Persistent (clean session off, subscribed once) or clean
 * (subscribes again after every reconnect). A thread keeps it connected.
 */
final class LoadSubscriber extends LoadClient {
    private final String filter;
    private final int qos;
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private final AtomicLong deliveries = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean subscribed;
    private final Thread thread;

    LoadSubscriber(String clientId, boolean cleanSession, String filter, int qos, Supplier<String[]> uris) {
        super(clientId, cleanSession, 10, uris);
        this.filter = filter;
        this.qos = qos;
        this.thread = new Thread(this::keepConnected, "load-" + clientId);
        thread.setDaemon(true);
        thread.start();
    }

    private void keepConnected() {
        while (running) {
            ensureConnected();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // a connection check, not a wait for a result
        }
    }

    @Override
    void onSession() throws MqttException {
        client().subscribe(filter, qos).waitForCompletion(5_000);
        subscribed = true;
    }

    /** Whether a SUBSCRIBE has been acknowledged (for a persistent session: it holds from then on). */
    boolean subscribed() {
        return subscribed;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        String id = new String(message.getPayload(), StandardCharsets.UTF_8);
        received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        deliveries.incrementAndGet();
    }

    /** Every delivery, duplicates included. */
    long deliveries() {
        return deliveries.get();
    }

    /** How often {@code id} arrived. */
    int count(String id) {
        AtomicInteger n = received.get(id);
        return n == null ? 0 : n.get();
    }

    /** The ids of {@code expected} that never arrived. */
    List<String> missing(Collection<String> expected) {
        List<String> out = new ArrayList<>();
        for (String id : expected) {
            if (!received.containsKey(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** Ids that start with {@code prefix} and arrived more than once. */
    List<String> duplicates(String prefix) {
        List<String> out = new ArrayList<>();
        received.forEach((id, n) -> {
            if (n.get() > 1 && id.startsWith(prefix)) {
                out.add(id);
            }
        });
        return out;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.close();
    }
}
