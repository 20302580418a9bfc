package io.gomq.launcher.transport;

import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;

import java.util.function.LongSupplier;

/**
 * How an event loop waits: after it last had work it keeps polling its sockets without blocking
 * for a short window, yielding its core to any other runnable thread between polls, and only
 * then sleeps in epoll as usual.
 *
 * <p>Why: a loop that sleeps after every message must be woken for the next one, and on a
 * virtual machine that wake-up (an interrupt to a halted virtual CPU, its rescheduling) takes tens
 * of microseconds and, now and then, milliseconds. Under a steady stream the next message comes
 * within the window and no wake-up is needed. The price is CPU: the loop burns at most one window
 * per quiet gap, nothing once the broker is idle. A window of 0 sleeps at once (Netty's default).
 */
final class SpinThenBlock implements SelectStrategy {
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private long lastWork;
    private boolean slept;

    SpinThenBlock(long windowNanos, LongSupplier nanoTime) {
        this.windowNanos = windowNanos;
        this.nanoTime = nanoTime;
        this.lastWork = nanoTime.getAsLong();
    }

    /** One strategy per event loop, each with its own moment of last work; a window of 0: Netty's own. */
    static SelectStrategyFactory factory(long windowNanos) {
        return windowNanos == 0 ? DefaultSelectStrategyFactory.INSTANCE : () -> new SpinThenBlock(windowNanos, System::nanoTime);
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        long now = nanoTime.getAsLong();
        if (slept || hasTasks) {
            slept = false; // a loop leaves epoll only for work: sockets, tasks or a timer
            lastWork = now;
            return selectNow.get();
        }
        if (now - lastWork < windowNanos) {
            int ready = selectNow.get();
            if (ready > 0) {
                lastWork = now;
            } else {
                Thread.yield(); // a log writer or client sharing this core runs first
            }
            return ready; // 0: the loop runs its due timers and asks again
        }
        slept = true;
        return SELECT;
    }
}
