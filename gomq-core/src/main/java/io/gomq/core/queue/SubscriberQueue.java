package io.gomq.core.queue;

import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.time.BrokerClock;
import org.jctools.queues.MpscChunkedArrayQueue;
import org.jctools.queues.unpadded.MpscLinkedUnpaddedQueue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded queue between all publishers and one subscriber.
 *
 * <p>Thread rules: {@link #offer} runs on any publisher thread, lock-free; {@link #poll} and
 * {@link #endDrain} only on the subscriber's own thread (single consumer).
 *
 * <p>Policy, in order: (1) a queue above its high watermark asks the publisher to be paced,
 * and resumes it once drained below the low watermark; (2) a queue congested for longer than
 * the stuck time without the subscriber taking anything paces nobody any more; (3) QoS 0 is
 * refused once the queue is filled up to its QoS 0 limit, QoS 1/2 only at full capacity. A
 * refused copy for a subscriber that is not stuck is held by its paced publisher
 * ({@link Pacer#hold}) and offered again on resume; otherwise it is dropped. Every drop is counted.
 *
 * <p>With a byte limit ({@link QueueLimits#bytes()}) the payload bytes queued count too, with the
 * same policy: above the high byte mark publishers are paced, at the limit the queue is full (QoS 0
 * at seven eighths of it). A queue holding no bytes always takes one message, however large, so
 * a message within max-payload-bytes is never refused for ever. The broker-wide budget
 * ({@link QueueLimits#total()}) is a second such limit shared by every queue: a copy must fit both.
 *
 * <p>Design note: memory follows what is queued, not the limit. The queue is a chain of small
 * chunks ({@link #CHUNK}) up to its capacity, and a chunk the subscriber has read is garbage: an
 * idle connection holds one chunk (a few hundred bytes) where a ring of its full capacity held
 * 16 KiB at the default 4,096, allocated at connect. The paced publishers wait in a linked
 * queue, which is empty nearly always.
 */
public final class SubscriberQueue {
    private static final int MAX_CHECK_INTERVAL = 16;
    /** Added to {@link #queuedBytes} by {@link #discard}: far below any count, so every later change sees it. */
    private static final long DISCARDED = Long.MIN_VALUE / 2;
    /** Slots per chunk: one chunk allocated per this many messages, and what an idle queue holds. */
    static final int CHUNK = 64;
    private final MpscChunkedArrayQueue<Message> queue;
    /** Watermarks are checked every (mask + 1) operations: at most a quarter of the headroom above the high mark. */
    private final long checkMask;
    private final QueueLimits limits;
    private final Runnable wakeup;
    private final BrokerClock clock;
    private final MpscLinkedUnpaddedQueue<Pacer> pacedPublishers = new MpscLinkedUnpaddedQueue<>();
    private final AtomicBoolean drainRequested = new AtomicBoolean();
    private final AtomicLong droppedQos0 = new AtomicLong();
    private final AtomicLong droppedQos1 = new AtomicLong();
    private final QueueLimits.ByteLimits byteLimits;
    private final QueuedBytesBudget total;
    /** Whether payload bytes are counted: with a byte limit per queue or for all of them. */
    private final boolean countBytes;
    /** Payload bytes queued; only kept with a byte limit. Negative once discarded (see {@link #discard}). */
    private final AtomicLong queuedBytes = new AtomicLong();
    /** The consumer's index when a publisher last looked ({@link #offerBelowQos0Limit}); lags, never leads. */
    private long consumerIndexSeen;
    /** When the queue last crossed the high watermark or, while above it, last made progress; 0 = not congested. */
    private volatile long congestedSinceNanos;

    /**
     * @param wakeup called (from a publisher thread) when the subscriber has new work and no
     *               drain is already requested; it must schedule a drain on the subscriber's thread.
     */
    public SubscriberQueue(QueueLimits limits, Runnable wakeup) {
        this.limits = limits;
        int max = Math.max(4, limits.capacity());
        this.queue = new MpscChunkedArrayQueue<>(Math.min(CHUNK, Integer.highestOneBit(max - 1)), max);
        int headroom = Math.max(1, (limits.capacity() - limits.highWatermark()) / 4);
        this.checkMask = Math.min(MAX_CHECK_INTERVAL, Integer.highestOneBit(headroom)) - 1;
        this.wakeup = wakeup;
        this.clock = limits.clock();
        this.byteLimits = limits.bytes();
        this.total = limits.total();
        this.countBytes = byteLimits.enabled() || total.enabled();
    }

    public OfferResult offer(Message message) {
        boolean qos0 = message.qos() == Qos.AT_MOST_ONCE;
        boolean bytesTaken = countBytes && takeBytes(message.payloadSize(), qos0);
        boolean accepted = (bytesTaken || !countBytes)
                && (qos0 ? offerBelowQos0Limit(message) : queue.offer(message));
        if (bytesTaken && !accepted) {
            releaseBytes(message.payloadSize());
        }
        requestDrain();
        if (!accepted) {
            (qos0 ? droppedQos0 : droppedQos1).incrementAndGet();
            markCongested();
            return OfferResult.DROPPED;
        }
        // the watermark needs the consumer's index (another core's cache line): look every few offers
        long produced = queue.currentProducerIndex();
        if (((produced & checkMask) == 0 || congestedSinceNanos != 0)
                && (produced - queue.currentConsumerIndex() >= limits.highWatermark() || bytesAboveHigh())) {
            return congested();
        }
        // the total above its high mark paces every publisher; not this queue's congestion (its stuck time)
        return total.pacing() ? OfferResult.ACCEPTED_CONGESTED : OfferResult.ACCEPTED;
    }

    /**
     * Offers a QoS 0 message unless the queue holds its QoS 0 limit. Reads the consumer's index
     * (another core's cache line) only when the last one read says the queue may be that full.
     */
    private boolean offerBelowQos0Limit(Message message) {
        long limit = limits.qos0Limit();
        if (queue.currentProducerIndex() - consumerIndexSeen >= limit) {
            consumerIndexSeen = queue.currentConsumerIndex(); // racy between publishers: any recent value will do
            if (queue.currentProducerIndex() - consumerIndexSeen >= limit) {
                return false;
            }
        }
        return queue.offer(message);
    }

    /** Reserves {@code size} payload bytes unless that passes the byte limit (an empty queue takes any one message). */
    private boolean takeBytes(int size, boolean qos0) {
        long after = queuedBytes.addAndGet(size);
        if (after < 0 // discarded
                || (byteLimits.enabled() && after != size && after > (qos0 ? byteLimits.qos0() : byteLimits.max()))
                || (total.enabled() && !total.take(size, qos0))) {
            queuedBytes.addAndGet(-size);
            return false;
        }
        return true;
    }

    /** {@code size} payload bytes left the queue; the total only while the queue is not discarded (it gave back all then). */
    private void releaseBytes(int size) {
        long after = queuedBytes.addAndGet(-size);
        if (after >= 0 && total.enabled()) {
            total.release(size);
        }
    }

    private boolean bytesAboveHigh() {
        return byteLimits.enabled() && queuedBytes.get() >= byteLimits.high();
    }

    /** At or below both low watermarks: paced publishers may resume. */
    private boolean drainedBelowLow() {
        return queue.size() <= limits.lowWatermark() && (!byteLimits.enabled() || queuedBytes.get() <= byteLimits.low());
    }

    /** Whether a publisher whose message was dropped here should still be paced (the subscriber is not stuck). */
    public boolean pacesPublishers() {
        return !isStuck(clock.nanos()) && !(total.enabled() && total.isStuck());
    }

    /** Registers a paced publisher, to be resumed when this queue drains below its low watermark. */
    public void addPaced(Pacer pacer) {
        if (total.pacing() && !isCongested()) {
            total.addPaced(pacer); // paced for the total: resumed when all queues together drained
            return;
        }
        pacedPublishers.offer(pacer);
        // the queue may have drained meanwhile: let the consumer check (only it polls the waiters)
        drainRequested.set(false);
        requestDrain();
    }

    /** The next message without removing it. Subscriber's thread only. */
    public Message peekForDrain() {
        return queue.relaxedPeek();
    }

    /**
     * Whether a message is ready for {@link #poll}. Subscriber's thread only. Design note: this
     * and {@link #poll} look at the next slot only, never at the publishers' index: a subscriber
     * that polls an empty queue must not pull the line publishers CAS from under them. A message
     * whose publisher has claimed its slot but not yet filled it may be missed here;
     * {@link #endDrain} counts it (it compares the indexes) and asks for another drain.
     */
    public boolean hasNext() {
        return queue.relaxedPeek() != null;
    }

    /** The next message, or null (see {@link #hasNext}). Subscriber's thread only. */
    public Message poll() {
        Message m = queue.relaxedPoll();
        if (m != null && countBytes) {
            releaseBytes(m.payloadSize());
        }
        if (m != null && congestedSinceNanos != 0 && (queue.currentConsumerIndex() & checkMask) == 0) {
            if (drainedBelowLow()) {
                congestedSinceNanos = 0;
                Pacer.resumeRegistered(pacedPublishers);
            } else {
                congestedSinceNanos = clock.nanos(); // progress: a slow subscriber is not a stuck one
            }
        }
        return m;
    }

    /** Asks for a drain unless one is already pending. Any thread. */
    public void requestDrain() {
        if (!drainRequested.get() && drainRequested.compareAndSet(false, true)) {
            wakeup.run();
        }
    }

    /** Requests a drain even if one was requested while nobody could run it (a session re-attached). */
    public void wakeupNow() {
        drainRequested.set(false);
        requestDrain();
    }

    /**
     * Ends a drain on the subscriber's thread. Returns true if the caller must drain again at
     * once (work arrived meanwhile and it can take more).
     */
    public boolean endDrain(boolean canTakeMore) {
        if (!pacedPublishers.isEmpty() && drainedBelowLow()) {
            congestedSinceNanos = 0;
            Pacer.resumeRegistered(pacedPublishers);
        }
        drainRequested.set(false);
        return canTakeMore && !queue.isEmpty() && drainRequested.compareAndSet(false, true);
    }

    /**
     * The session ended: what the queue still holds leaves the broker-wide total (the queue goes
     * to the garbage collector with it). Later offers are refused, later polls count nothing.
     * Any thread: a publisher or the owner may still be inside the queue.
     */
    public void discard() {
        if (countBytes) {
            long left = queuedBytes.getAndAdd(DISCARDED);
            if (left > 0 && total.enabled()) {
                total.release(left);
            }
        }
    }

    public int size() { return queue.size(); }
    /** Payload bytes queued (0 without a byte limit: then they are not counted). */
    public long queuedBytes() { return Math.max(0, queuedBytes.get()); }
    /** Whether the queue is above its high watermark (publishers to it are paced). Any thread. */
    public boolean isCongested() { return congestedSinceNanos != 0; }
    public boolean isEmpty() { return queue.isEmpty(); }
    public int capacity() { return limits.capacity(); }
    /** Messages accepted since the queue was made. */
    public long enqueued() { return queue.currentProducerIndex(); }
    /** QoS 0 copies this queue refused: dropped, or held by a paced publisher to be offered again. */
    public long droppedQos0() { return droppedQos0.get(); }
    public long droppedQos1() { return droppedQos1.get(); }

    public boolean isStuck(long nowNanos) {
        long since = congestedSinceNanos;
        return since != 0 && nowNanos - since > limits.stuckNanos();
    }

    private OfferResult congested() {
        long now = clock.nanos();
        long since = congestedSinceNanos;
        if (since == 0) {
            congestedSinceNanos = now == 0 ? 1 : now;
            return OfferResult.ACCEPTED_CONGESTED;
        }
        return now - since > limits.stuckNanos() ? OfferResult.ACCEPTED : OfferResult.ACCEPTED_CONGESTED;
    }

    private void markCongested() {
        if (congestedSinceNanos == 0) {
            long now = clock.nanos();
            congestedSinceNanos = now == 0 ? 1 : now;
        }
    }
}
