package io.gomq.launcher.transport;

import io.gomq.core.time.BrokerClock;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One-shot timers on an event loop, due by the broker's {@link BrokerClock}: the login back-off
 * waits, the publish-rate pause and the disk-space retry. A timer runs on its
 * loop once the clock has passed its due time, checked when its real-time delay ends (a Netty
 * timer) and at once when the clock jumps (a test's manual clock): a test advances the clock
 * instead of sleeping through a timeout, and with the system clock a timer runs at its delay.
 *
 * <p>Design note: the Netty timer stays the driver in production (no sweep thread, no polling);
 * the per-loop set of pending timers exists so that a clock advance finds them. A timer whose
 * real delay ended before the clock reached its due time arms itself again for the rest.
 *
 * <p>Thread rules: {@link #schedule} and {@link Timer#cancel} on the timer's event loop; each
 * loop's timers are touched only on that loop.
 */
final class ClockTimers {
    private final BrokerClock clock;
    private final ConcurrentHashMap<EventLoop, Set<Timer>> pending = new ConcurrentHashMap<>();

    ClockTimers(BrokerClock clock) {
        this.clock = clock;
        clock.onAdvance(this::advanced);
    }

    BrokerClock clock() {
        return clock;
    }

    /** Runs {@code task} on {@code loop} once {@code delayNanos} have passed on the clock. Event loop only. */
    Timer schedule(EventLoop loop, long delayNanos, Runnable task) {
        Timer t = new Timer(loop, clock.nanos() + Math.max(0, delayNanos), task);
        pending.computeIfAbsent(loop, l -> new LinkedHashSet<>()).add(t);
        t.arm(Math.max(0, delayNanos));
        return t;
    }

    Timer schedule(EventLoop loop, long delay, TimeUnit unit, Runnable task) {
        return schedule(loop, unit.toNanos(delay), task);
    }

    private void advanced() {
        for (var e : pending.entrySet()) {
            EventLoop loop = e.getKey();
            if (!loop.isShuttingDown()) {
                loop.execute(() -> runDue(e.getValue()));
            }
        }
    }

    private void runDue(Set<Timer> timers) {
        long now = clock.nanos();
        List<Timer> due = new ArrayList<>();
        for (Timer t : timers) {
            if (now - t.dueNanos >= 0) {
                due.add(t);
            }
        }
        for (Timer t : due) { // a task may schedule or cancel others: not while iterating
            t.fire();
        }
    }

    /** A pending timer; {@link #cancel} on its loop. */
    final class Timer {
        private final EventLoop loop;
        private final long dueNanos;
        private final Runnable task;
        private ScheduledFuture<?> wakeUp;
        private boolean done;

        private Timer(EventLoop loop, long dueNanos, Runnable task) {
            this.loop = loop;
            this.dueNanos = dueNanos;
            this.task = task;
        }

        private void arm(long delayNanos) {
            wakeUp = loop.schedule(this::wokeUp, Math.max(1, delayNanos), TimeUnit.NANOSECONDS);
        }

        private void wokeUp() {
            if (done) {
                return;
            }
            long left = dueNanos - clock.nanos();
            if (left > 0) {
                arm(left); // the clock has not got there yet (a manual clock)
            } else {
                fire();
            }
        }

        private void fire() {
            if (done) {
                return;
            }
            finish();
            task.run();
        }

        /** Stops the timer; its task will not run. Event loop only. */
        void cancel() {
            if (!done) {
                finish();
            }
        }

        private void finish() {
            done = true;
            wakeUp.cancel(false);
            Set<Timer> s = pending.get(loop);
            if (s != null) {
                s.remove(this);
            }
        }
    }
}
