package io.gomq.core.queue;

import io.gomq.core.time.BrokerClock;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The payload bytes held in all subscriber queues together, against one broker-wide limit
 * ({@code max-queued-bytes-total}), with the rules of one queue's byte limit: above the high
 * mark publishers are paced, at the limit a queue takes no more (QoS 0 at seven eighths of it,
 * so QoS 1/2 keep room). A copy the total refuses goes the way of one a full queue refuses: held
 * by its paced publisher while the subscriber moves, read from the log later by a persistent
 * session (QoS 1/2 are never dropped), dropped and counted for a stuck subscriber (QoS 0).
 *
 * <p>Pacing for the total is as brief as for one queue: once the total has stayed above its low
 * mark for the stuck-subscriber time without draining below it, it paces nobody any more and a
 * QoS 0 copy that does not fit is dropped, so subscribers that take nothing never hold
 * publishers for longer than that.
 *
 * <p>Thread rules: any thread, lock-free; paced publishers are resumed by whichever subscriber's
 * thread takes the total below the low mark.
 */
public final class QueuedBytesBudget {
    /** No broker-wide limit: nothing is counted. */
    public static final QueuedBytesBudget NONE = new QueuedBytesBudget(0, 0, 0, 0, BrokerClock.system());

    private final long max;
    private final long qos0;
    private final long high;
    private final long low;
    private final long stuckNanos;
    private final BrokerClock clock;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private final ConcurrentLinkedQueue<Pacer> paced = new ConcurrentLinkedQueue<>();
    /** When the total last went above its high mark; 0 while at or below the low mark. */
    private volatile long congestedSinceNanos;

    /**
     * @param max        payload bytes all queues hold at most (0: no limit)
     * @param high       fraction of {@code max} above which publishers are paced
     * @param low        fraction at or below which they resume
     * @param stuckNanos how long the total may stay congested before it paces nobody
     */
    public QueuedBytesBudget(long max, double high, double low, long stuckNanos, BrokerClock clock) {
        this.max = max;
        this.qos0 = max - max / 8;
        this.high = (long) (max * high);
        this.low = (long) (max * low);
        this.stuckNanos = stuckNanos;
        this.clock = clock;
    }

    /** A fresh budget with the same limits, its stuck time measured by {@code c} (set-up only: nothing counted yet). */
    public QueuedBytesBudget withClock(BrokerClock c) {
        return enabled() ? new QueuedBytesBudget(max, (double) high / max, (double) low / max, stuckNanos, c) : this;
    }

    public boolean enabled() {
        return max > 0;
    }

    /** The limit in payload bytes (0: none). */
    public long max() {
        return max;
    }

    /** Payload bytes held in all queues now. */
    public long bytes() {
        return bytes.get();
    }

    /** The most payload bytes all queues held at once, counted from the high mark up (0 below it). */
    public long peak() {
        return peak.get();
    }

    /** Copies the total refused (held by a paced publisher, read from the log later, or dropped). */
    public long refusals() {
        return refusals.get();
    }

    /**
     * Takes {@code size} bytes for a copy unless that passes the limit. While all queues are
     * empty any one copy fits, however large (so the total may pass its limit by one message).
     */
    boolean take(long size, boolean qos0Copy) {
        long after = bytes.addAndGet(size);
        if (after != size && after > (qos0Copy ? qos0 : max)) {
            bytes.addAndGet(-size);
            refusals.incrementAndGet();
            markCongested();
            return false;
        }
        if (after >= high) {
            markCongested();
            if (after > peak.get()) {
                peak.accumulateAndGet(after, Math::max);
            }
        }
        return true;
    }

    /** {@code size} bytes left a queue (taken by its subscriber, or its session ended). */
    void release(long size) {
        long after = bytes.addAndGet(-size);
        if (after <= low && congestedSinceNanos != 0) {
            congestedSinceNanos = 0;
            Pacer.resumeRegistered(paced);
        }
    }

    /** Whether publishers into any queue are paced now: above the high mark and not stuck. */
    boolean pacing() {
        return congestedSinceNanos != 0 && !isStuck();
    }

    /** Congested for longer than the stuck time: pacing for the total stops, QoS 0 that does not fit is dropped. */
    boolean isStuck() {
        long since = congestedSinceNanos;
        return since != 0 && clock.nanos() - since > stuckNanos;
    }

    /** Registers a publisher paced for the total; resumed once it drops to the low mark. */
    void addPaced(Pacer pacer) {
        paced.offer(pacer);
        if (bytes.get() <= low) {
            Pacer.resumeRegistered(paced); // drained meanwhile: the subscriber that did so may have looked before
        }
    }

    private void markCongested() {
        if (congestedSinceNanos == 0) {
            long now = clock.nanos();
            congestedSinceNanos = now == 0 ? 1 : now;
        }
    }

}
