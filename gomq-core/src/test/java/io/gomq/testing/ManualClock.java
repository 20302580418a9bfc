package io.gomq.testing;

import io.gomq.core.time.BrokerClock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link BrokerClock} that moves only when a test calls {@link #advance}: expiry, will delay,
 * retention and stuck-subscriber tests advance time instead of sleeping through it. Starts at
 * the real wall time (messages stamped by the system clock stay in the past of this clock).
 */
public final class ManualClock implements BrokerClock {
    private final AtomicLong millis = new AtomicLong(System.currentTimeMillis());
    private final AtomicLong nanos = new AtomicLong(System.nanoTime());
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public long nanos() {
        return nanos.get();
    }

    @Override
    public void onAdvance(Runnable listener) {
        listeners.add(listener);
    }

    /** Moves both readings forward by {@code d}, then tells the listeners (the broker's timers). */
    public void advance(Duration d) {
        millis.addAndGet(d.toMillis());
        nanos.addAndGet(d.toNanos());
        for (Runnable l : listeners) {
            l.run();
        }
    }
}
