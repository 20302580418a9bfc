package io.gomq.core.session;

import io.gomq.core.session.store.SessionJournal;
import io.gomq.core.auth.TopicGate;
import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.queue.QueueLimits;
import io.gomq.core.queue.SubscriberQueue;
import io.gomq.core.concurrent.FieldHandles;
import io.gomq.core.time.BrokerClock;
import org.jctools.queues.unpadded.MpscLinkedUnpaddedQueue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's state for one client id: its subscriptions, its queue of messages to deliver,
 * the QoS 1/2 exchanges in both directions, and its will.
 *
 * <p>Thread rules: publishers on any thread only offer to {@link #queue()}. Everything else
 * runs on the owner thread: the thread of the connection currently attached (a Netty event
 * loop, or an in-process consumer's serial executor). A reconnect moves ownership: the registry
 * detaches the old connection at once (its later tasks see they no longer own the session) and
 * attaches the new one only after the old owner has let go (see {@link SessionRegistry#connect}),
 * so there is never a moment with two owners.
 *
 * <p>Durability: a persistent session on a broker with a log journals its state, and takes
 * its QoS 1/2 messages in log-offset order. The router appends and fans out persisted messages
 * in one critical section, so the queue holds them in offset order; {@code nextLogOffset} is
 * one past the last one taken. When the queue cannot be trusted (after a restart, or after it
 * dropped a persisted message) the session reads the log from {@code nextLogOffset} until it
 * catches up, then skips queued copies it has already delivered.
 */
public final class Session {
    private static final VarHandle FLOOR = FieldHandles.of(MethodHandles.lookup(), Session.class, "floor", long.class);
    /** Session Expiry Interval 0xFFFFFFFF: the session does not expire (MQTT 3.1.1 clean session 0). */
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;
    private final String clientId;
    private final boolean cleanSession;
    private final SubscriberQueue queue;
    private final InflightWindow inflight;
    private final InboundQos2 inbound;
    private final Map<String, SubscriptionOptions> subscriptions = new ConcurrentHashMap<>();
    /** How many of {@link #subscriptions} have No Local: only then do its publishes carry their origin. */
    private volatile int noLocalSubscriptions;
    /** Retained messages for new subscriptions: added by subscribe (any thread), drained by the owner. */
    /** Filled at SUBSCRIBE only: a linked queue holds nothing while empty (a chunked one held a chunk per session). */
    private final MpscLinkedUnpaddedQueue<Message> retainedBacklog = new MpscLinkedUnpaddedQueue<>();
    private final MessageLog log;
    private final SessionJournal journal;
    private final BrokerClock clock;
    private volatile SessionOutput output;
    /** The attached client's topic permissions, or null when nothing is checked (no rules: the fast path). */
    private volatile TopicGate topicGate;
    private volatile Message will;
    /** MQTT 5 Will Delay Interval of {@link #will}, seconds. */
    private volatile long willDelaySeconds;
    /** A will whose delay runs after an abnormal end; cleared when the session resumes first. */
    private volatile Message delayedWill;
    /** Whether the journal holds a will of this session (so a session without one any more clears it). */
    private boolean willStored;
    /** MQTT 5 Session Expiry Interval: 0 ends the session with its connection; {@link #NEVER_EXPIRES} never. */
    private volatile long expirySeconds;
    /** Bumped at every detach: a timer armed at one disconnect ignores a later one. */
    private volatile long disconnects;
    private volatile boolean queueOverflowed;
    private volatile boolean discarded;
    private volatile SessionOutput pending;
    private volatile CompletableFuture<Void> released = CompletableFuture.completedFuture(null);
    private LogCatchUp catchUp;
    /** Offsets of in-flight messages restored at startup (owner thread): the catch-up must not send them again. */
    private final Set<Long> resentAtRestore = new HashSet<>();
    private final AssignedShares shares = new AssignedShares();
    private long nextLogOffset;
    private long deliveredCount;
    /**
     * {@link #committedOffset()} as the owner last published it (release store) for the log's
     * compaction thread, which must never read the window itself. The true value only grows, so
     * a published one that lags behind is merely lower: it delays compaction, never harms it.
     */
    @SuppressWarnings("unused") // through FLOOR
    private volatile long floor;
    /** The value in {@link #floor}; owner thread. */
    private long publishedFloor;
    /** Messages not sent because they expired or were too large for the client (owner thread). */
    private long skipped;
    /** Messages not sent because the attached client may not read their topic (owner thread). */
    private long denied;

    public Session(String clientId, boolean cleanSession, QueueLimits limits, int maxInflight) {
        this(clientId, cleanSession, limits, maxInflight, null, null, 0);
    }

    /**
     * @param log     the durable log (null when memory-only); used only by a persistent session
     * @param journal where a persistent session writes its state (null: nothing is journaled)
     * @param fromOffset the first log offset this session has to receive
     */
    public Session(String clientId, boolean cleanSession, QueueLimits limits, int maxInflight,
                   MessageLog log, SessionJournal journal, long fromOffset) {
        this(clientId, cleanSession, limits, maxInflight, maxInflight, log, journal, fromOffset);
    }

    /**
     * @param maxInbound unreleased incoming QoS 2 messages allowed (the Receive Maximum the broker
     *                   announces to MQTT 5 clients)
     */
    public Session(String clientId, boolean cleanSession, QueueLimits limits, int maxInflight, int maxInbound,
                   MessageLog log, SessionJournal journal, long fromOffset) {
        this.clientId = clientId;
        this.cleanSession = cleanSession;
        this.expirySeconds = cleanSession ? 0 : NEVER_EXPIRES;
        this.queue = new SubscriberQueue(limits, this::wakeup);
        this.clock = limits.clock();
        this.inflight = new InflightWindow(maxInflight);
        this.inbound = new InboundQos2(maxInbound);
        boolean durable = !cleanSession && log != null;
        this.log = durable ? log : null;
        this.journal = durable ? journal : null;
        this.nextLogOffset = fromOffset;
        this.floor = fromOffset;
        this.publishedFloor = fromOffset;
        if (this.journal != null) {
            inbound.journal(clientId, this.journal);
        }
    }

    public String clientId() { return clientId; }
    public boolean cleanSession() { return cleanSession; }
    public SubscriberQueue queue() { return queue; }
    public InflightWindow inflight() { return inflight; }
    public InboundQos2 inbound() { return inbound; }
    public boolean isOnline() { return output != null; }
    public SessionOutput output() { return output; }
    public Message will() { return will; }
    public void will(Message will) { this.will = will; }
    public long willDelaySeconds() { return willDelaySeconds; }
    public void willDelaySeconds(long seconds) { this.willDelaySeconds = seconds; }
    /** The will waiting for its delay after an abnormal end, or null. */
    public Message delayedWill() { return delayedWill; }
    void delayedWill(Message m) { this.delayedWill = m; }
    boolean willStored() { return willStored; }
    void willStored(boolean stored) { this.willStored = stored; }
    /**
     * MQTT 5 Session Expiry Interval: how long the session outlives its connection (0: not at
     * all, {@link #NEVER_EXPIRES}: for ever). Not durable sessions ({@link #cleanSession()}) have 0.
     */
    public long expirySeconds() { return expirySeconds; }
    void expirySeconds(long seconds) { this.expirySeconds = seconds; }
    /** How many times a connection has left this session; stamps timers armed at a disconnect. */
    public long disconnects() { return disconnects; }
    /** Filter to the granted QoS and options. */
    public Map<String, SubscriptionOptions> subscriptions() { return subscriptions; }

    /** Whether this client's publishes carry its id into the log: only a session with a No Local subscription needs it. */
    public boolean publishesNeedOrigin() { return noLocalSubscriptions > 0; }

    /** Keeps {@link #publishesNeedOrigin} up to date when a subscription changes from {@code before} to {@code after} (null: none). */
    void subscriptionChanged(SubscriptionOptions before, SubscriptionOptions after) {
        int delta = (after != null && after.noLocal() ? 1 : 0) - (before != null && before.noLocal() ? 1 : 0);
        if (delta != 0) {
            noLocalSubscriptions += delta;
        }
    }
    public long deliveredCount() { return deliveredCount; }
    /** Messages dropped at delivery time: expired, or larger than the client's Maximum Packet Size. Owner thread. */
    public long skippedCount() { return skipped; }
    /** Messages not delivered because the client may not read their topic. Owner thread. */
    public long deniedCount() { return denied; }
    /** The attached client's topic permissions, or null when it may read everything. */
    public TopicGate topicGate() { return topicGate; }
    /**
     * Sets the permissions every later delivery is checked against (queued, retained, read back
     * from the log, shared), null for none. The connection sets it when it attaches, before its
     * first drain: a session resumed by another user is checked against that user's rules.
     */
    public void topicGate(TopicGate gate) { this.topicGate = gate; }
    /** Every log record below it has been delivered and acknowledged, or is in flight. Owner thread. */
    public long committedOffset() { return Math.min(nextLogOffset, inflight.lowestOffset()); }
    /** {@link #committedOffset()} as its owner last published it, or lower. Any thread (the compaction floor). */
    public long committedFloor() { return (long) FLOOR.getVolatile(this); }
    SessionJournal journal() { return journal; }
    boolean durable() { return log != null; }

    /** The queue dropped a persisted message for this session: read the log on the next drain. Any thread. */
    public void queueOverflowed() {
        if (log != null) {
            queueOverflowed = true;
        }
    }

    /** The connection waiting for the previous owner to let go (registry, under its per-id lock). */
    SessionOutput pending() { return pending; }
    void pending(SessionOutput out) { pending = out; }
    /** Completes when the last owner no longer touches this session (registry, under its per-id lock). */
    CompletableFuture<Void> released() { return released; }
    void released(CompletableFuture<Void> f) { released = f; }
    boolean isDiscarded() { return discarded; }

    /** Makes {@code out} the owner (registry, under its per-id lock); then {@link #resend}. */
    void own(SessionOutput out) {
        output = out;
    }

    /** On the new owner's thread, after {@link #own}: re-sends what was in flight (DUP set; PUBREL for released QoS 2). */
    void resend(SessionOutput out) {
        TopicGate gate = out.topicGate();
        if (gate != null) {
            topicGate = gate;
            dropUnreadable(gate);
        }
        for (int i = 0; i < inflight.size(); i++) {
            if (inflight.stateAt(i) == InflightWindow.SENT) {
                out.publish(inflight.messageAt(i), inflight.idAt(i), true);
            } else {
                out.pubRel(inflight.idAt(i));
            }
        }
        queue.wakeupNow();
    }

    /** In-flight entries a client resuming under other rules may not read end unsent, as if acknowledged (counted as denied). */
    private void dropUnreadable(TopicGate gate) {
        java.util.List<Integer> refused = new java.util.ArrayList<>();
        for (int i = 0; i < inflight.size(); i++) {
            if (inflight.stateAt(i) == InflightWindow.SENT && !gate.mayRead(inflight.messageAt(i).topic())) {
                refused.add(inflight.idAt(i));
            }
        }
        for (int id : refused) {
            if (!onPubAck(id)) { // QoS 2: released, then completed
                onPubRec(id);
                onPubComp(id);
            }
            denied++;
        }
    }

    /**
     * Empties what this session still holds for delivery: its unacknowledged QoS 1/2 PUBLISHes
     * (not those the client already received: PUBREL sent) and its queue. For a shared
     * subscription member that leaves, so its share goes to the others. Owner thread, while
     * still attached.
     */
    public java.util.List<Message> takeUndelivered() {
        java.util.List<Message> held = new java.util.ArrayList<>();
        for (int i = 0; i < inflight.size(); i++) {
            if (inflight.stateAt(i) == InflightWindow.SENT) {
                held.add(inflight.messageAt(i));
            }
        }
        Message m;
        while ((m = queue.poll()) != null) {
            held.add(m);
        }
        return held;
    }

    /** Returns true if {@code out} was the attached connection. */
    boolean detach(SessionOutput out) {
        if (output != out) {
            return false;
        }
        output = null;
        disconnects++;
        return true;
    }

    /** Restores state read back at startup: the session then reads the log from {@code committed}. */
    void restore(Map<String, SubscriptionOptions> subs, Map<Integer, Message> restoredInflight, Map<Integer, Boolean> released,
                 Map<Integer, Message> inboundPending) {
        subscriptions.putAll(subs);
        subs.values().forEach(o -> subscriptionChanged(null, o));
        restoredInflight.entrySet().stream()
                .sorted(Map.Entry.comparingByValue((a, b) -> Long.compare(a.offset(), b.offset())))
                .forEach(e -> inflight.restore(e.getKey(), e.getValue(),
                        released.getOrDefault(e.getKey(), false) ? InflightWindow.RELEASED : InflightWindow.SENT));
        inboundPending.forEach(inbound::restore);
        for (Message m : restoredInflight.values()) {
            if (m.offset() >= nextLogOffset) {
                resentAtRestore.add(m.offset()); // re-sent on attach; once acknowledged no longer in the window
            }
        }
        queueOverflowed = log != null;
        publishFloor();
    }

    /** A shared group gives this member {@code copy}: a persistent member journals its offset first (see AssignedShares). Any thread. */
    public void sharedAssigned(Message copy) {
        if (!cleanSession && copy.persisted() && copy.qos() != Qos.AT_MOST_ONCE) {
            if (journal != null) {
                journal.sharedAssigned(clientId, copy.offset());
            }
            shares.add(copy.offset());
        }
    }

    /** Restores the shared messages given to this member before a restart (offsets at or above {@code from}). */
    public void restoreShares(Collection<Long> offsets, long from) {
        shares.restore(offsets, from);
    }

    /** Queues retained messages for a new subscription; they go out before live ones. Any thread. */
    public void addRetained(Collection<Message> retained) {
        for (Message m : retained) {
            retainedBacklog.offer(m);
        }
        if (!retained.isEmpty()) {
            queue.requestDrain();
        }
    }

    /**
     * Moves up to {@code budget} messages to the output. Owner thread. Returns true if the
     * caller must run it again later (more work, and room to take it).
     */
    public boolean drain(int budget) {
        return drain(budget, 0);
    }

    /**
     * Like {@link #drain(int)}; when the queue runs empty before the budget is spent, keeps
     * polling it for up to {@code lingerSpins} spins before ending the drain. Design note: an
     * owner thread with nothing else to do (an idle dispatcher) lingers, so that a publisher
     * that is slower than the subscriber finds the drain still requested and pays no wakeup
     * (a CAS and a task hand-off per message otherwise). The spin is bounded and counts only
     * empty looks; the budget still bounds the drain.
     */
    public boolean drain(int budget, int lingerSpins) {
        if (discarded) {
            if (catchUp != null) {
                catchUp.close(); // the owner releases its log reader
                catchUp = null;
            }
            queue.endDrain(false);
            return false;
        }
        SessionOutput out = output;
        if (out == null) {
            queue.endDrain(false);
            return false;
        }
        if (queueOverflowed && catchUp == null) {
            queueOverflowed = false;
            catchUp = new LogCatchUp(log.reader(Math.max(nextLogOffset, log.startOffset())), clientId, subscriptions,
                    inflight, resentAtRestore, shares);
        }
        int n = catchUp == null && retainedBacklog.isEmpty() ? drainQueue(out, budget) : drainAll(out, budget);
        if (lingerSpins > 0 && n < budget) {
            n += linger(out, budget - n, lingerSpins);
        }
        deliveredCount += n;
        if (log != null) {
            publishFloor();
        }
        if (journal != null) {
            journal.flush(clientId); // before the connection flushes what this drain sent
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

    /** Polls an empty queue for a while (see {@link #drain(int, int)}); only the plain queue path. */
    private int linger(SessionOutput out, int budget, int lingerSpins) {
        int n = 0;
        for (int spins = 0; spins < lingerSpins && n < budget; spins++) {
            if (catchUp != null || !retainedBacklog.isEmpty() || queueOverflowed || discarded || output != out
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
                if (log != null && m.persisted() && m.offset() < nextLogOffset) {
                    queue.poll(); // already delivered from the log
                    continue;
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
        TopicGate gate = topicGate;
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
                journal.sent(clientId, packetId, m.offset());
            }
        }
        out.publish(m, packetId, false);
        return true;
    }

    /** PUBACK from the subscriber. Returns false for an unknown packet id. Owner thread. */
    public boolean onPubAck(int packetId) {
        boolean wasFull = inflight.isFull();
        Message m = inflight.acknowledge(packetId);
        if (m != null) {
            completed(packetId, wasFull);
        }
        return m != null;
    }

    /** PUBREC from the subscriber: the caller answers PUBREL whatever this returns. Owner thread. */
    public boolean onPubRec(int packetId) {
        boolean known = inflight.received(packetId);
        if (known && journal != null) {
            journal.released(clientId, packetId, offsetOf(packetId));
        }
        return known;
    }

    /** PUBCOMP from the subscriber. Owner thread. */
    public boolean onPubComp(int packetId) {
        boolean wasFull = inflight.isFull();
        Message m = inflight.complete(packetId);
        if (m != null) {
            completed(packetId, wasFull);
        }
        return m != null;
    }

    private void completed(int packetId, boolean wasFull) {
        if (log != null) {
            publishFloor();
            shares.pruneBelow(nextLogOffset);
        }
        if (journal != null) {
            // Journal the read position, not the lowest unacknowledged offset: with acks out of
            // order, everything below the position is either in flight (journaled before it was
            // sent) or completed, so a restart resumes there and repeats nothing that completed.
            journal.completed(clientId, packetId, nextLogOffset);
        }
        if (wasFull) {
            queue.requestDrain();
        }
    }

    /** Owner thread, whenever the window or the read position changed. */
    private void publishFloor() {
        long f = committedOffset();
        if (f != publishedFloor) {
            publishedFloor = f;
            FLOOR.setRelease(this, f);
        }
    }

    private long offsetOf(int packetId) {
        for (int i = 0; i < inflight.size(); i++) {
            if (inflight.idAt(i) == packetId) {
                return inflight.messageAt(i).offset();
            }
        }
        return Message.NO_OFFSET;
    }

    /**
     * The session ends: the registry and the topic tree no longer hold it, so no publisher
     * reaches it. Any thread. Design note: nothing is cleared here. The queues have one consumer,
     * the owner thread, which may still be inside a drain; polling them from this thread broke an
     * MPSC queue (a poll spinning forever). Unreachable, the session goes to the garbage
     * collector with whatever it held; a paced publisher resumes by its own stuck-time fallback.
     */
    void discard() {
        discarded = true;
    }

    private boolean canTakeMore() {
        if (!inflight.isFull()) {
            return true;
        }
        Message next = !retainedBacklog.isEmpty() ? retainedBacklog.peek()
                : catchUp != null ? catchUp.peek() : queue.peekForDrain();
        return next != null && next.qos() == Qos.AT_MOST_ONCE;
    }

    private void wakeup() {
        SessionOutput out = output;
        if (out != null) {
            out.wakeup();
        }
    }

    @Override
    public String toString() {
        return "Session{" + clientId + (cleanSession ? ", clean" : ", persistent") + (isOnline() ? ", online" : ", offline") + '}';
    }
}
