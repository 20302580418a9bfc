package io.gomq.bench.load;

import com.hivemq.client.mqtt.datatypes.MqttQos;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One publishing connection on its own thread: publishes numbered, timestamped messages to one
 * topic, keeping at most {@code window} unacknowledged (QoS 0: unwritten), optionally paced to
 * a rate. Acknowledgements arrive on the client's threads.
 */
final class LoadPublisher implements Runnable {
    private final LoadClient client;
    private final int id;
    private final String topic;
    private final MqttQos qos;
    private final int payloadBytes;
    private final int windowSize;
    private final Semaphore window;
    private final long intervalNanos;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;
    private volatile long sent;

    LoadPublisher(LoadClient client, int id, String topic, LoadOptions o) {
        this.client = client;
        this.id = id;
        this.topic = topic;
        this.qos = MqttQos.fromCode(o.qos);
        this.payloadBytes = o.payloadBytes;
        this.windowSize = o.window;
        this.window = new Semaphore(o.window);
        this.intervalNanos = o.ratePerPublisher == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / o.ratePerPublisher;
    }

    @Override
    public void run() {
        long next = System.nanoTime();
        long seq = 0;
        try {
            while (running) {
                if (intervalNanos > 0) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                        continue;
                    }
                    next += intervalNanos;
                }
                if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue; // the window is full: look at running again
                }
                client.publish(topic, qos, LoadPayload.make(payloadBytes, id, seq))
                        .whenComplete((r, e) -> {
                            window.release();
                            (e == null ? acked : failed).incrementAndGet();
                        });
                seq++;
                sent = seq;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop() {
        running = false;
    }

    /** After {@link #stop} and the thread's end: waits until every publish is answered; false on timeout. */
    boolean awaitAnswers(long timeoutMs) throws InterruptedException {
        if (!window.tryAcquire(windowSize, timeoutMs, TimeUnit.MILLISECONDS)) {
            return false;
        }
        window.release(windowSize);
        return true;
    }

    long sent() {
        return sent;
    }

    long acked() {
        return acked.get();
    }

    long failed() {
        return failed.get();
    }
}
