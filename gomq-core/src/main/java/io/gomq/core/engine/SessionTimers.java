package io.gomq.core.engine;

import io.gomq.core.message.Message;
import io.gomq.core.session.Session;
import io.gomq.core.session.SessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The MQTT 5 timers of disconnected sessions: Session Expiry Interval (the session ends) and
 * Will Delay Interval (the will goes out unless the session resumed). One daemon thread that
 * parks while nothing is due. Each timer carries the session's disconnect stamp, so a timer
 * armed before a reconnect does nothing after it.
 */
final class SessionTimers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTimers.class);

    private final SessionRegistry registry;
    private final Consumer<Message> publishWill;
    private final ScheduledThreadPoolExecutor timer;

    SessionTimers(SessionRegistry registry, Consumer<Message> publishWill) {
        this.registry = registry;
        this.publishWill = publishWill;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "gomq-session-timers");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
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

    private void run(Runnable task, long delayMillis) {
        if (timer.isShutdown()) {
            return;
        }
        timer.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("session timer failed", e);
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
