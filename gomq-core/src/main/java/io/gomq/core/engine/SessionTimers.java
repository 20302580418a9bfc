package io.gomq.core.engine;

import io.gomq.core.message.Message;
import io.gomq.core.session.Session;
import io.gomq.core.session.SessionRegistry;
import io.gomq.core.time.BrokerClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The MQTT 5 timers of disconnected sessions: Session Expiry Interval (the session ends) and
 * Will Delay Interval (the will goes out unless the session resumed). One daemon thread that
 * parks while nothing is due. Each timer carries the session's disconnect stamp, so a timer
 * armed before a reconnect does nothing after it.
 *
 * <p>Due times are read on the broker's {@link BrokerClock}: a timer runs once that clock has
 * passed its due time, checked when its real-time delay ends (on the timer thread) and whenever
 * a manual clock is advanced (on the test's thread). At most one timer per kind and disconnect of a session is pending, so the
 * queue is bounded by the session limit.
 */
final class SessionTimers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTimers.class);

    private record Due(long atNanos, long seq, Runnable task) {
    }

    private final SessionRegistry registry;
    private final Consumer<Message> publishWill;
    private final BrokerClock clock;
    private final ScheduledThreadPoolExecutor timer;
    private final PriorityQueue<Due> due = new PriorityQueue<>(
            Comparator.comparingLong(Due::atNanos).thenComparingLong(Due::seq));
    private long seq;

    SessionTimers(SessionRegistry registry, Consumer<Message> publishWill, BrokerClock clock) {
        this.registry = registry;
        this.publishWill = publishWill;
        this.clock = clock;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "gomq-session-timers");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        clock.onAdvance(() -> {
            if (!timer.isShutdown()) {
                runDue(); // on the advancing thread: when advance returns, what fell due has run
            }
        });
    }

    /** Arms what a connection's end left to do. */
    void schedule(SessionRegistry.Departure d) {
        if (d.willDelayMillis() >= 0) {
            willAfter(d.session(), d.stamp(), d.willDelayMillis());
        }
        if (d.expiryMillis() >= 0) {
            expireAfter(d.session(), d.stamp(), d.expiryMillis());
        }
    }

    void willAfter(Session session, long stamp, long delayMillis) {
        run(() -> {
            Message will = registry.publishDelayedWill(session, stamp);
            if (will != null) {
                publishWill.accept(will);
            }
        }, delayMillis);
    }

    void expireAfter(Session session, long stamp, long delayMillis) {
        run(() -> {
            Message will = registry.expire(session, stamp);
            if (will != null) {
                publishWill.accept(will);
            }
        }, delayMillis);
    }

    /** Runs {@code task} on the timer thread once the clock has passed {@code delayMillis} from now. */
    void after(Runnable task, long delayMillis) {
        run(task, delayMillis);
    }

    private void run(Runnable task, long delayMillis) {
        if (timer.isShutdown()) {
            return;
        }
        synchronized (due) {
            due.add(new Due(clock.nanos() + TimeUnit.MILLISECONDS.toNanos(delayMillis), seq++, task));
        }
        timer.schedule(this::runDue, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Runs every timer whose due time the clock has passed, in due order. */
    private void runDue() {
        long now = clock.nanos();
        while (true) {
            Due d;
            synchronized (due) {
                d = due.peek();
                if (d == null || d.atNanos() - now > 0) {
                    return;
                }
                due.poll();
            }
            try {
                d.task().run();
            } catch (RuntimeException e) {
                LOG.warn("session timer failed", e);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
