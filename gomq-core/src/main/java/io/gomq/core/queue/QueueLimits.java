package io.gomq.core.queue;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.time.BrokerClock;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Capacity, watermarks and stuck time of subscriber queues, derived once from the config, and
 * the broker's clock: it measures the stuck time and tells a session whether a message expired
 * (tests advance their own). {@code bytes}: the same limit and watermarks in payload bytes
 * ({@link ByteLimits#NONE}: none). {@code total}: the broker-wide budget every queue made with
 * these limits shares ({@link QueuedBytesBudget#NONE}: none).
 */
public record QueueLimits(int capacity, int qos0Limit, int highWatermark, int lowWatermark, long stuckNanos,
                          BrokerClock clock, ByteLimits bytes, QueuedBytesBudget total) {

    /**
     * Payload bytes a queue holds at most ({@code max}), QoS 0 only up to {@code qos0}, pacing
     * above {@code high}, resuming at or below {@code low}. {@code max} 0 = no byte limit.
     */
    public record ByteLimits(long max, long qos0, long high, long low) {
        public static final ByteLimits NONE = new ByteLimits(0, 0, 0, 0);

        public boolean enabled() {
            return max > 0;
        }
    }

    public QueueLimits(int capacity, int qos0Limit, int highWatermark, int lowWatermark, long stuckNanos) {
        this(capacity, qos0Limit, highWatermark, lowWatermark, stuckNanos, BrokerClock.system(), ByteLimits.NONE,
                QueuedBytesBudget.NONE);
    }

    public static QueueLimits from(BrokerConfig config) {
        int capacity = config.maxQueuedMessages();
        // QoS 0 may fill all but one eighth: that reserve keeps room for QoS>=1 ("drop QoS 0 first")
        int qos0Limit = Math.max(1, capacity - Math.max(1, capacity / 8));
        int high = Math.max(1, (int) (capacity * config.queueHighWatermark()));
        int low = Math.min(high - 1, (int) (capacity * config.queueLowWatermark()));
        long maxBytes = config.maxQueuedBytes();
        ByteLimits bytes = maxBytes <= 0 ? ByteLimits.NONE : new ByteLimits(maxBytes, maxBytes - maxBytes / 8,
                (long) (maxBytes * config.queueHighWatermark()), (long) (maxBytes * config.queueLowWatermark()));
        long stuckNanos = TimeUnit.MILLISECONDS.toNanos(config.stuckSubscriberMs());
        QueuedBytesBudget total = config.maxQueuedBytesTotal() <= 0 ? QueuedBytesBudget.NONE
                : new QueuedBytesBudget(config.maxQueuedBytesTotal(), config.queueHighWatermark(),
                        config.queueLowWatermark(), stuckNanos, config.clock());
        return new QueueLimits(capacity, qos0Limit, high, Math.max(0, low), stuckNanos, config.clock(), bytes, total);
    }

    /** The same limits measured by {@code clock}. */
    public QueueLimits withClock(BrokerClock clock) {
        return new QueueLimits(capacity, qos0Limit, highWatermark, lowWatermark, stuckNanos, clock, bytes,
                total.withClock(clock));
    }

    /** The same limits with a byte limit. */
    public QueueLimits withBytes(ByteLimits b) {
        return new QueueLimits(capacity, qos0Limit, highWatermark, lowWatermark, stuckNanos, clock, b, total);
    }

    /** The same limits sharing the broker-wide budget {@code t}. */
    public QueueLimits withTotal(QueuedBytesBudget t) {
        return new QueueLimits(capacity, qos0Limit, highWatermark, lowWatermark, stuckNanos, clock, bytes, t);
    }

    /** The same limits with durations measured by {@code nanoClock} (nanoseconds). */
    public QueueLimits withClock(LongSupplier nanoClock) {
        return withClock(BrokerClock.withNanos(nanoClock));
    }
}
