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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import java.util.Collection;
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
 * <p>Its parts: {@link SessionDelivery} moves messages from the retained backlog, the log and
 * the queue to the client; {@link SessionAcks} handles the subscriber's PUBACK/PUBREC/PUBCOMP and
 * re-sends what is in flight on resume; {@link InboundQos2} holds the publisher's unreleased QoS 2
 * messages.
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
    private volatile boolean discarded;
    private volatile SessionOutput pending;
    private volatile CompletableFuture<Void> released = CompletableFuture.completedFuture(null);
    private final AssignedShares shares = new AssignedShares();
    private final SessionDelivery delivery;
    private final SessionAcks acks;
    /**
     * {@link #committedOffset()} as the owner last published it (release store) for the log's
     * compaction thread, which must never read the window itself. The true value only grows, so
     * a published one that lags behind is merely lower: it delays compaction, never harms it.
     */
    @SuppressWarnings("unused") // through FLOOR
    private volatile long floor;
    /** The value in {@link #floor}; owner thread. */
    private long publishedFloor;

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
        this.delivery = new SessionDelivery(this, queue, inflight, this.log, this.journal, clock, fromOffset);
        this.acks = new SessionAcks(this, queue, inflight, delivery, this.journal, durable);
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
    public long deliveredCount() { return delivery.deliveredCount(); }
    /** Messages dropped at delivery time: expired, or larger than the client's Maximum Packet Size. Owner thread. */
    public long skippedCount() { return delivery.skippedCount(); }
    /** Messages not delivered because the client may not read their topic. Owner thread. */
    public long deniedCount() { return delivery.deniedCount(); }
    /** The attached client's topic permissions, or null when it may read everything. */
    public TopicGate topicGate() { return topicGate; }
    /**
     * Sets the permissions every later delivery is checked against (queued, retained, read back
     * from the log, shared), null for none. The connection sets it when it attaches, before its
     * first drain: a session resumed by another user is checked against that user's rules.
     */
    public void topicGate(TopicGate gate) { this.topicGate = gate; }
    /** Every log record below it has been delivered and acknowledged, or is in flight. Owner thread. */
    public long committedOffset() { return Math.min(delivery.nextLogOffset(), inflight.lowestOffset()); }
    /** {@link #committedOffset()} as its owner last published it, or lower. Any thread (the compaction floor). */
    public long committedFloor() { return (long) FLOOR.getVolatile(this); }
    SessionJournal journal() { return journal; }
    boolean durable() { return log != null; }

    /** The queue dropped a persisted message for this session: read the log on the next drain. Any thread. */
    public void queueOverflowed() {
        delivery.queueOverflowed();
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
        delivery.restored(restoredInflight.values());
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

    AssignedShares shares() { return shares; }

    /** Queues retained messages for a new subscription; they go out before live ones. Any thread. */
    public void addRetained(Collection<Message> retained) {
        delivery.addRetained(retained);
    }

    /**
     * Moves up to {@code budget} messages to the output. Owner thread. Returns true if the
     * caller must run it again later (more work, and room to take it).
     */
    public boolean drain(int budget) {
        return delivery.drain(budget, 0);
    }

    /**
     * Like {@link #drain(int)}; when the queue runs empty before the budget is spent, keeps
     * polling it for up to {@code lingerSpins} spins (an idle owner thread saves the publisher a wakeup).
     */
    public boolean drain(int budget, int lingerSpins) {
        return delivery.drain(budget, lingerSpins);
    }

    /** On the new owner's thread, after {@link #own}: re-sends what was in flight (DUP set; PUBREL for released QoS 2). */
    void resend(SessionOutput out) {
        acks.resend(out);
    }

    /**
     * Empties what this session still holds for delivery: its unacknowledged QoS 1/2 PUBLISHes
     * (not those the client already received: PUBREL sent) and its queue. For a shared
     * subscription member that leaves, so its share goes to the others. Owner thread, while
     * still attached.
     */
    public java.util.List<Message> takeUndelivered() {
        return acks.takeUndelivered();
    }

    /** PUBACK from the subscriber. Returns false for an unknown packet id. Owner thread. */
    public boolean onPubAck(int packetId) {
        return acks.onPubAck(packetId);
    }

    /** PUBREC from the subscriber: the caller answers PUBREL whatever this returns. Owner thread. */
    public boolean onPubRec(int packetId) {
        return acks.onPubRec(packetId);
    }

    /** PUBCOMP from the subscriber. Owner thread. */
    public boolean onPubComp(int packetId) {
        return acks.onPubComp(packetId);
    }

    /** Owner thread, whenever the window or the read position changed. */
    void publishFloor() {
        long f = committedOffset();
        if (f != publishedFloor) {
            publishedFloor = f;
            FLOOR.setRelease(this, f);
        }
    }

    /**
     * The session ends: the registry and the topic tree no longer hold it, so no publisher
     * reaches it. Any thread. Design note: nothing is cleared here but the queue's count in the
     * broker-wide byte total. The queues have one consumer,
     * the owner thread, which may still be inside a drain; polling them from this thread broke an
     * MPSC queue (a poll spinning forever). Unreachable, the session goes to the garbage
     * collector with whatever it held; a paced publisher resumes by its own stuck-time fallback.
     */
    void discard() {
        discarded = true;
        queue.discard(); // its bytes leave the broker-wide total (the queue itself is not touched)
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
