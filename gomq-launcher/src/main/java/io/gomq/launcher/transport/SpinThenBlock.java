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
 * per quiet gap (a stream's gaps, within a budget, up to ten: below), nothing once the broker is idle. A window of 0 sleeps at once (Netty's default).
 *
 * <p>A stream gets a longer window, within a CPU budget: while the loop found work at least
 * {@link #STREAM_WORK} times in the last {@link #PERIOD_NANOS}, a quiet gap may last up to
 * {@link #STREAM_FACTOR} windows before it sleeps, for at most {@link #BRIDGE_BUDGET_NANOS} of
 * polling past the first window per period. A client's stream pauses now and then for a
 * millisecond or two (its own GC or JIT, its core taken by another process); a loop that slept
 * through such a pause was woken by the burst that followed, and on a virtual machine whose CPU had
 * halted that wake-up took about 100 us, which the whole burst waited for. At 20,000 msg/s on a
 * 2-core VM, 100 to 120 such wake-ups came in 10 s, and four fifths of the deliveries later than
 * 200 us had been sent while the loop slept. The budget keeps a slower stream, whose every gap
 * is long, from holding a core: past it the loop sleeps after one window, as before.
 */
final class SpinThenBlock implements SelectStrategy {
    /** The period over which a stream is recognised and the bridging budget is spent. */
    static final long PERIOD_NANOS = 100_000_000;
    /** Polls that found work in a period that make a stream (2,000 a second). */
    static final int STREAM_WORK = 200;
    /** The longest gap bridged, in windows. */
    static final int STREAM_FACTOR = 10;
    /** Polling past the first window, per period, at most (a tenth of the core). */
    static final long BRIDGE_BUDGET_NANOS = 10_000_000;

    private final long windowNanos;
    private final LongSupplier nanoTime;
    private long lastWork;
    private long lastCall;
    private boolean slept;
    private long periodStart;
    private int workInPeriod;
    private long bridgedInPeriod;
    private boolean stream;

    SpinThenBlock(long windowNanos, LongSupplier nanoTime) {
        this.windowNanos = windowNanos;
        this.nanoTime = nanoTime;
        this.lastWork = nanoTime.getAsLong();
        this.lastCall = lastWork;
        this.periodStart = lastWork;
    }

    /** One strategy per event loop, each with its own moment of last work; a window of 0: Netty's own. */
    static SelectStrategyFactory factory(long windowNanos) {
        return windowNanos == 0 ? DefaultSelectStrategyFactory.INSTANCE : () -> new SpinThenBlock(windowNanos, System::nanoTime);
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        long now = nanoTime.getAsLong();
        nextPeriod(now);
        if (slept || hasTasks) {
            slept = false; // a loop leaves epoll only for work: sockets, tasks or a timer
            lastWork = now;
            return poll(selectNow, now);
        }
        long quiet = now - lastWork;
        if (quiet >= windowNanos) {
            if (!stream || bridgedInPeriod >= BRIDGE_BUDGET_NANOS || quiet >= windowNanos * STREAM_FACTOR) {
                slept = true;
                return SELECT;
            }
            bridgedInPeriod += now - Math.max(lastCall, lastWork + windowNanos);
        }
        int ready = poll(selectNow, now);
        if (ready == 0) {
            Thread.yield(); // a log writer or client sharing this core runs first
        }
        return ready; // 0: the loop runs its due timers and asks again
    }

    private int poll(IntSupplier selectNow, long now) throws Exception {
        lastCall = now;
        int ready = selectNow.get();
        if (ready > 0) {
            lastWork = now;
            workInPeriod++;
        }
        return ready;
    }

    private void nextPeriod(long now) {
        long elapsed = now - periodStart;
        if (elapsed >= PERIOD_NANOS) {
            stream = elapsed < 2 * PERIOD_NANOS && workInPeriod >= STREAM_WORK; // after a long sleep: no stream
            workInPeriod = 0;
            bridgedInPeriod = 0;
            periodStart = now;
        }
    }
}
