package io.gomq.bench.load;

import com.hivemq.client.mqtt.datatypes.MqttQos;

import io.netty.util.concurrent.EventExecutor;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One publishing connection: publishes numbered, timestamped messages to one topic, keeping at
 * most {@code window} unacknowledged (QoS 0: unwritten), optionally paced to a rate.
 * Acknowledgements arrive on the client's threads.
 *
 * <p>It runs on a thread of its own, except paced on one core: there it runs on the client's own
 * event loop, on that loop's timer. A publisher thread woke the loop with a hand-off for every
 * message, two context switches per message on the load generator's only core, where a switch
 * costs several microseconds in a virtual machine; at 20,000 msg/s that core was 72-96 % busy
 * and its queueing was the latency tail of every broker measured.
 */
final class LoadPublisher implements Runnable {
    /** Paced and the window full: look again this much later. */
    private static final long WINDOW_RETRY_NANOS = 20_000;

    private final LoadClient client;
    private final int id;
    private final String topic;
    private final MqttQos qos;
    private final int payloadBytes;
    private final int windowSize;
    private final Semaphore window;
    private final long intervalNanos;
    private final long phaseNanos;
    private final boolean onClientLoop;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Runnable tick = this::tick;
    private volatile boolean running = true;
    private volatile long sent;
    private EventExecutor loop;
    private long next;
    private long seq;

    LoadPublisher(LoadClient client, int id, String topic, LoadOptions o) {
        this.client = client;
        this.id = id;
        this.topic = topic;
        this.qos = MqttQos.fromCode(o.qos);
        this.payloadBytes = o.payloadBytes;
        this.windowSize = o.window;
        this.window = new Semaphore(o.window);
        this.intervalNanos = o.ratePerPublisher == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / o.ratePerPublisher;
        // paced publishers take turns, evenly spaced: together a steady rate, not a burst of all of them
        this.phaseNanos = intervalNanos * id / o.publishers;
        this.onClientLoop = o.pacedOnClientLoops();
    }

    /** Starts publishing: on the client's event loop when the options say so and it has one, else on a thread. */
    void start() {
        loop = onClientLoop ? client.loop() : null;
        if (loop != null) {
            next = System.nanoTime() + phaseNanos;
            loop.execute(tick);
        } else {
            Thread thread = new Thread(this, "load-publisher-" + id);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Event loop: publishes what is due (back to back when behind, as the thread does), then sleeps on the loop's timer. */
    private void tick() {
        if (!running) {
            stopped.countDown();
            return;
        }
        long now = System.nanoTime();
        boolean windowFull = false;
        while (next - now <= 0) {
            if (!window.tryAcquire()) {
                windowFull = true;
                break;
            }
            publishOne();
            next += intervalNanos;
        }
        long delay = windowFull ? WINDOW_RETRY_NANOS : next - System.nanoTime();
        loop.schedule(tick, Math.max(0, delay), TimeUnit.NANOSECONDS);
    }

    private void publishOne() {
        client.publish(topic, qos, LoadPayload.make(payloadBytes, id, seq))
                .whenComplete((r, e) -> {
                    window.release();
                    (e == null ? acked : failed).incrementAndGet();
                });
        seq++;
        sent = seq;
    }

    @Override
    public void run() {
        next = System.nanoTime() + phaseNanos;
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
                publishOne();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }

    /** Stops publishing and waits (up to {@code timeoutMs}) until no further publish can start. */
    void stop(long timeoutMs) throws InterruptedException {
        running = false;
        stopped.await(timeoutMs, TimeUnit.MILLISECONDS);
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
