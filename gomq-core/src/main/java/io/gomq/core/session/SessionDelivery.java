package io.gomq.core.session;

import io.gomq.core.auth.TopicGate;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.queue.SubscriberQueue;
import io.gomq.core.session.store.SessionJournal;
import io.gomq.core.time.BrokerClock;
import org.jctools.queues.unpadded.MpscLinkedUnpaddedQueue;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Moves one session's messages to its attached client: the retained messages of new
 * subscriptions first, then (after a restart, or after the queue dropped a persisted message)
 * the log from the session's read position, then its queue. A QoS 1/2 message takes a packet id
 * from the in-flight window, journaled before the PUBLISH leaves.
 *
 * <p>Durability: a persistent session takes its QoS 1/2 messages in log-offset order;
 * {@code nextLogOffset} is one past the last one taken. When the queue cannot be trusted the
 * session reads the log from there until it catches up, then skips queued copies it has
 * delivered already.
 *
 * <p>Thread rules: the session's owner thread, except {@link #queueOverflowed} and
 * {@link #addRetained} (any thread).
 */
final class SessionDelivery {
    private final Session session;
    private final String clientId;
    private final SubscriberQueue queue;
    private final InflightWindow inflight;
    /** Null for a session that is not durable (clean, or a memory-only broker). */
    private final MessageLog log;
    private final SessionJournal journal;
    private final BrokerClock clock;
    /** Retained messages for new subscriptions: added by subscribe (any thread), drained by the owner. */
    /** Filled at SUBSCRIBE only: a linked queue holds nothing while empty (a chunked one held a chunk per session). */
    private final MpscLinkedUnpaddedQueue<Message> retainedBacklog = new MpscLinkedUnpaddedQueue<>();
    private volatile boolean queueOverflowed;
    private LogCatchUp catchUp;
    /** Offsets of in-flight messages restored at startup (owner thread): the catch-up must not send them again. */
    private final Set<Long> resentAtRestore = new HashSet<>();
    private long nextLogOffset;
    private long deliveredCount;
    /** Messages not sent because they expired or were too large for the client (owner thread). */
    private long skipped;
    /** Messages not sent because the attached client may not read their topic (owner thread). */
    private long denied;

    SessionDelivery(Session session, SubscriberQueue queue, InflightWindow inflight, MessageLog log,
                    SessionJournal journal, BrokerClock clock, long fromOffset) {
        this.session = session;
        this.clientId = session.clientId();
        this.queue = queue;
        this.inflight = inflight;
        this.log = log;
        this.journal = journal;
        this.clock = clock;
        this.nextLogOffset = fromOffset;
    }

    long nextLogOffset() { return nextLogOffset; }
    long deliveredCount() { return deliveredCount; }
    long skippedCount() { return skipped; }
    long deniedCount() { return denied; }
    void denied() { denied++; }

    /** The queue dropped a persisted message for this session: read the log on the next drain. Any thread. */
    void queueOverflowed() {
        if (log != null) {
            queueOverflowed = true;
        }
    }

    /** After a restore: in-flight messages at or above the read position are re-sent on attach, not read from the log again. */
    void restored(Collection<Message> restoredInflight) {
        for (Message m : restoredInflight) {
            if (m.offset() >= nextLogOffset) {
                resentAtRestore.add(m.offset()); // re-sent on attach; once acknowledged no longer in the window
            }
        }
        queueOverflowed = log != null;
    }

    /** Queues retained messages for a new subscription; they go out before live ones. Any thread. */
    void addRetained(Collection<Message> retained) {
        for (Message m : retained) {
            retainedBacklog.offer(m);
        }
        if (!retained.isEmpty()) {
            queue.requestDrain();
        }
    }

    /**
     * Moves up to {@code budget} messages to the output; returns true if the caller must run it
     * again later (more work, and room to take it). When the queue runs empty before the budget is spent, keeps
     * polling it for up to {@code lingerSpins} spins before ending the drain. Design note: an
     * owner thread with nothing else to do (an idle dispatcher) lingers, so that a publisher
     * that is slower than the subscriber finds the drain still requested and pays no wakeup
     * (a CAS and a task hand-off per message otherwise). The spin is bounded and counts only
     * empty looks; the budget still bounds the drain.
     */
    boolean drain(int budget, int lingerSpins) {
        if (session.isDiscarded()) {
            if (catchUp != null) {
                catchUp.close(); // the owner releases its log reader
                catchUp = null;
            }
            queue.endDrain(false);
            return false;
        }
        SessionOutput out = session.output();
        if (out == null) {
            queue.endDrain(false);
            return false;
        }
        if (queueOverflowed && catchUp == null) {
            queueOverflowed = false;
            catchUp = new LogCatchUp(log.reader(Math.max(nextLogOffset, log.startOffset())), clientId,
                    session.subscriptions(), inflight, resentAtRestore, session.shares());
        }
        int n = catchUp == null && retainedBacklog.isEmpty() ? drainQueue(out, budget) : drainAll(out, budget);
        if (lingerSpins > 0 && n < budget) {
            n += linger(out, budget - n, lingerSpins);
        }
        deliveredCount += n;
        if (log != null) {
            session.publishFloor();
        }
        if (journal != null) {
            journal.drained(clientId); // before the connection flushes what this drain sent
        }
        boolean canTakeMore = canTakeMore();
        boolean again = queue.endDrain(canTakeMore);
        return again || (canTakeMore && (!retainedBacklog.isEmpty() || catchUp != null || queueOverflowed));
    }

    /** The common case: only the queue has work. One poll per message, no peeks. */
    private int drainQueue(SessionOutput out, int budget) {
        int n = 0;
        while (n < budget) {
            Message m;
            if (inflight.isFull()) {
                m = queue.peekForDrain(); // only QoS 0 can still go
                if (m == null || m.qos() != Qos.AT_MOST_ONCE) {
                    break;
                }
                queue.poll();
            } else if ((m = queue.poll()) == null) {
                break;
            }
            if (log != null && m.persisted()) {
                if (m.offset() < nextLogOffset) {
                    continue; // already delivered from the log
                }
                if (queueOverflowed) {
                    // an earlier record was dropped after this drain began: the next drain reads
                    // the log from nextLogOffset, this one included; taking it now would skip that one
                    break;
                }
                nextLogOffset = m.offset() + 1;
            }
            if (send(out, m)) {
                n++;
            }
        }
        return n;
    }

    /** Polls an empty queue for a while (see {@link #drain}); only the plain queue path. */
    private int linger(SessionOutput out, int budget, int lingerSpins) {
        int n = 0;
        for (int spins = 0; spins < lingerSpins && n < budget; spins++) {
            if (catchUp != null || !retainedBacklog.isEmpty() || queueOverflowed || session.isDiscarded() || session.output() != out
                    || inflight.isFull()) {
                break; // other work, or no room: end the drain normally
            }
            if (queue.hasNext()) {
                n += drainQueue(out, budget - n);
                spins = 0;
            } else {
                Thread.onSpinWait();
            }
        }
        return n;
    }

    /** With a retained backlog or a log catch-up in progress: those first, in order. */
    private int drainAll(SessionOutput out, int budget) {
        int n = 0;
        while (n < budget) {
            Message m = retainedBacklog.peek();
            int source = 0;
            if (m == null && catchUp != null) {
                Message queued = queue.peekForDrain();
                if (queued != null && queued.persisted()) {
                    queue.poll(); // the cursor will read it from the log: keep the queue moving
                    continue;
                }
                if (queued != null) {
                    m = queued;
                    source = 2;
                } else {
                    m = catchUp.peek();
                    source = 1;
                    if (m == null) {
                        catchUp.close(); // caught up with the log's end: the queue takes over
                        catchUp = null;
                        continue;
                    }
                }
            }
            if (m == null) {
                m = queue.peekForDrain();
                source = 2;
                if (m == null) {
                    break;
                }
                if (log != null && m.persisted()) {
                    if (m.offset() < nextLogOffset) {
                        queue.poll(); // already delivered from the log
                        continue;
                    }
                    if (queueOverflowed) {
                        // as in drainQueue: an earlier record was dropped meanwhile (the catch-up
                        // ended, or none ran); the next drain reads the log from nextLogOffset
                        break;
                    }
                }
            }
            if (m.qos() != Qos.AT_MOST_ONCE && inflight.isFull()) {
                break;
            }
            if (source == 0) {
                retainedBacklog.poll();
            } else if (source == 1) {
                catchUp.take();
            } else {
                queue.poll();
            }
            if (log != null && source != 0 && m.persisted()) {
                nextLogOffset = m.offset() + 1;
            }
            if (send(out, m)) {
                n++;
            }
        }
        return n;
    }

    /**
     * QoS 1/2: a packet id from the window, journaled before the PUBLISH leaves. Returns false
     * for a message not sent: expired (MQTT 5 Message Expiry Interval) or too large for the
     * client; either counts as delivered for this session.
     */
    private boolean send(SessionOutput out, Message m) {
        TopicGate gate = session.topicGate();
        if (gate != null && !gate.mayRead(m.topic())) {
            denied++; // counts as delivered, like an expired message: a wildcard subscription meets it
            return false;
        }
        if ((m.properties().expires() && m.expiredAt(clock.millis())) || !out.accepts(m)) {
            skipped++;
            return false;
        }
        int packetId = 0;
        if (m.qos() != Qos.AT_MOST_ONCE) {
            packetId = inflight.add(m);
            if (journal != null) {
                journal.sent(clientId, packetId, m.offset(), m.qos());
            }
        }
        out.publish(m, packetId, false);
        return true;
    }

    private boolean canTakeMore() {
        if (!inflight.isFull()) {
            return true;
        }
        Message next = !retainedBacklog.isEmpty() ? retainedBacklog.peek()
                : catchUp != null ? catchUp.peek() : queue.peekForDrain();
        return next != null && next.qos() == Qos.AT_MOST_ONCE;
    }
}
