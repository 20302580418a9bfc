package io.gomq.core.time;

import java.util.function.LongSupplier;

/**
 * The broker's one source of time for what the MQTT spec and the log measure: keep-alive,
 * session and message expiry, will delay, stuck subscribers, retention and compaction of
 * delete markers. Production uses {@link #system()}; tests pass a manual clock (see
 * {@code io.gomq.testing.ManualClock} in gomq-core's test jar) and advance it instead of sleeping.
 * Readings allocate nothing: hot paths (message expiry on every delivery) call them freely.
 */
public interface BrokerClock {
    /** Wall-clock time, milliseconds since the epoch: message timestamps, expiry, retention. */
    long millis();

    /** Monotonic time, nanoseconds from an arbitrary origin: durations (keep-alive, timers). */
    long nanos();

    /**
     * Asks to be told when time jumps forward (a manual clock's advance), so that timers due by
     * this clock run then instead of at their real-time delay. The system clock never jumps.
     */
    default void onAdvance(Runnable listener) {
    }

    static BrokerClock system() {
        return SystemClock.INSTANCE;
    }

    /** Wall time from the system, monotonic time from {@code nanos} (tests that only drive durations). */
    static BrokerClock withNanos(LongSupplier nanos) {
        return new BrokerClock() {
            @Override
            public long millis() {
                return System.currentTimeMillis();
            }

            @Override
            public long nanos() {
                return nanos.getAsLong();
            }
        };
    }
}
