package io.gomq.core.queue;

import io.gomq.core.config.BrokerConfig;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Capacity, watermarks and stuck time of subscriber queues, derived once from the config, and
 * the clock that measures the stuck time ({@code System::nanoTime}; tests advance their own).
 */
public record QueueLimits(int capacity, int qos0Limit, int highWatermark, int lowWatermark, long stuckNanos,
                          LongSupplier nanoClock) {

    public QueueLimits(int capacity, int qos0Limit, int highWatermark, int lowWatermark, long stuckNanos) {
        this(capacity, qos0Limit, highWatermark, lowWatermark, stuckNanos, System::nanoTime);
    }

    public static QueueLimits from(BrokerConfig config) {
        int capacity = config.maxQueuedMessages();
        // QoS 0 may fill all but one eighth: that reserve keeps room for QoS>=1 ("drop QoS 0 first")
        int qos0Limit = Math.max(1, capacity - Math.max(1, capacity / 8));
        int high = Math.max(1, (int) (capacity * config.queueHighWatermark()));
        int low = Math.min(high - 1, (int) (capacity * config.queueLowWatermark()));
        return new QueueLimits(capacity, qos0Limit, high, Math.max(0, low),
                TimeUnit.MILLISECONDS.toNanos(config.stuckSubscriberMs()));
    }

    /** The same limits measured by {@code clock} (nanoseconds). */
    public QueueLimits withClock(LongSupplier clock) {
        return new QueueLimits(capacity, qos0Limit, highWatermark, lowWatermark, stuckNanos, clock);
    }
}
