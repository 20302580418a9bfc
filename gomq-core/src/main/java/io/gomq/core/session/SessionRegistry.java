package io.gomq.core.session;

import io.gomq.core.session.store.SessionJournal;
import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.queue.QueueLimits;
import io.gomq.core.topic.TopicTree;

import io.gomq.core.log.MessageLog;
import io.gomq.core.time.BrokerClock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions by client id: creates, resumes, takes over and ends them, and keeps the topic tree
 * in step with their subscriptions. Connect and disconnect for one client id are serialized
 * through the map's per-key compute.
 */
public final class SessionRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);
    /** Sessions sized up front for this many: growing the table stalls connects and disconnects while it copies. */
    private static final int PRESIZED_SESSIONS = 16_384;

    private final ConcurrentHashMap<String, Session> sessions;
    private final SubscriptionIndex tree;
    private final QueueLimits limits;
    private final int maxInflight;
    private final int maxSessions;
    private final MessageLog log;
    private final SessionJournal journal;
    /** Unreleased incoming QoS 2 messages per session: the Receive Maximum announced to MQTT 5 clients. */
    private volatile int maxInbound;

    public SessionRegistry(TopicTree<Session> tree, QueueLimits limits, int maxInflight, int maxSessions) {
        this(SubscriptionIndex.of(tree), limits, maxInflight, maxSessions, null, null);
    }

    /** With a log and a journal, persistent sessions are durable. */
    public SessionRegistry(SubscriptionIndex tree, QueueLimits limits, int maxInflight, int maxSessions,
                           MessageLog log, SessionJournal journal) {
        this.tree = tree;
        this.limits = limits;
        this.maxInflight = maxInflight;
        this.maxSessions = maxSessions;
        this.sessions = new ConcurrentHashMap<>(Math.max(16, Math.min(maxSessions, PRESIZED_SESSIONS)));
        this.log = log;
        this.journal = journal;
        this.maxInbound = maxInflight;
    }

    /** Sets the incoming QoS 2 limit of sessions created from now on (the broker's Receive Maximum). */
    public void maxInbound(int n) {
        this.maxInbound = n;
    }

    /** The broker's clock (its sessions' queues read it too). */
    public BrokerClock clock() {
        return limits.clock();
    }

    /**
     * The result of a connect: the session, whether it existed (CONNACK session-present), the
     * connection it displaced, and the hand-over: null when {@code out} is attached already;
     * otherwise the previous owner is still letting go of the session, and the caller attaches
     * with {@link #attach} once this future completes (or gives up with {@link #abandon}).
     */
    public record Attached(Session session, boolean sessionPresent, SessionOutput displaced,
                           CompletableFuture<Void> handover) {
        public boolean attached() {
            return handover == null;
        }
    }

    /**
     * Attaches {@code out} to the session of {@code clientId}: a new one, or the stored one for
     * a persistent session. A connection already attached to that id is displaced (told through
     * {@link SessionOutput#takenOver()}). A clean session replaces any stored state (MQTT 3.1.2.4).
     *
     * <p>Design note: a session has one owner thread at a time. The displaced connection's owner
     * may be in the middle of a drain or an acknowledgement when the new CONNECT arrives, so a
     * resumed session is attached only once the old owner has let go (its {@code takenOver()}
     * future); until then the new connection is the session's {@code pending} owner. A fresh
     * or clean session is a new object the old owner never sees, and is attached at once.
     *
     * @throws SessionLimitException when a new session would pass the configured maximum
     */
    public Attached connect(String clientId, boolean cleanSession, Message will, SessionOutput out) {
        return connect(clientId, cleanSession, cleanSession ? 0 : Session.NEVER_EXPIRES, will, 0, out);
    }

    /**
     * MQTT 5: {@code cleanStart} discards a stored session; {@code expirySeconds} says how long
     * the session outlives this connection (0: a session that ends with it and is never stored;
     * {@link Session#NEVER_EXPIRES}), and the will waits {@code willDelaySeconds} after an
     * abnormal end (not sent if the session resumes first).
     */
    public Attached connect(String clientId, boolean cleanStart, long expirySeconds, Message will, long willDelaySeconds,
                            SessionOutput out) {
        boolean cleanSession = cleanStart;
        Object[] result = new Object[5];
        sessions.compute(clientId, (id, existing) -> {
            SessionOutput displaced = null;
            CompletableFuture<Void> ownerGone = null;
            if (existing != null) {
                displaced = existing.output();
                if (displaced != null) {
                    existing.detach(displaced);
                    Session owned = existing;
                    // only schedules: nothing blocks in here. The old owner lets go once its loop has
                    // closed the connection and its QoS 2 releases waiting for the log have ended.
                    existing.released(displaced.takenOver().thenCompose(v -> owned.inbound().releasesSettled()));
                }
                result[3] = existing.pending(); // a connection still waiting for its own hand-over
                existing.pending(null);
                ownerGone = existing.released();
            }
            Session session = existing;
            boolean present = false;
            if (existing != null && (cleanSession || existing.cleanSession())) {
                discardState(existing);
                session = null;
            }
            if (session == null) {
                if (existing == null && sessions.size() >= maxSessions) {
                    throw new SessionLimitException(maxSessions);
                }
                session = newSession(id, expirySeconds == 0);
            } else {
                present = true;
                session.delayedWill(null); // resumed in time: the delayed will is not sent
            }
            session.will(will);
            session.willDelaySeconds(willDelaySeconds);
            storeWill(session, will, willDelaySeconds);
            long before = session.expirySeconds();
            session.expirySeconds(session.cleanSession() ? 0 : expirySeconds);
            // a session that never expires needs no timestamps: 3.1.1 sessions write nothing here
            if (session.journal() != null && (before != Session.NEVER_EXPIRES || expirySeconds != Session.NEVER_EXPIRES)) {
                session.journal().expiry(id, expirySeconds, -1);
            }
            if (session == existing && !ownerGone.isDone()) {
                session.pending(out);
                result[4] = ownerGone;
            } else {
                session.own(out); // under the per-id lock: a later connect sees this owner and waits for it
            }
            result[0] = session;
            result[1] = present;
            result[2] = displaced;
            return session;
        });
        Session session = (Session) result[0];
        if (result[3] != null) {
            ((SessionOutput) result[3]).takenOver(); // it never attached: nothing to wait for
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<Void> handover = (CompletableFuture<Void>) result[4];
        if (handover == null) {
            session.resend(out);
        }
        return new Attached(session, (Boolean) result[1], (SessionOutput) result[2], handover);
    }

    /**
     * After {@link Attached#handover()} completed: attaches {@code out}, on its owner thread.
     * Returns false when another connection displaced it meanwhile (the caller closes).
     */
    public boolean attach(Attached attached, SessionOutput out) {
        Session session = attached.session();
        boolean[] owned = new boolean[1];
        sessions.computeIfPresent(session.clientId(), (id, current) -> {
            if (current == session && current.pending() == out && current.released().isDone()) {
                current.pending(null);
                current.own(out);
                owned[0] = true;
            }
            return current;
        });
        if (owned[0]) {
            session.resend(out);
        }
        return owned[0];
    }

    /** The previous owner did not let go in time: {@code out} stops waiting for the session. */
    public void abandon(Attached attached, SessionOutput out) {
        Session session = attached.session();
        sessions.computeIfPresent(session.clientId(), (id, current) -> {
            if (current == session && current.pending() == out) {
                current.pending(null);
            }
            return current;
        });
    }

    /**
     * What a connection's end left to do: {@code willNow} to publish at once (or null), and when
     * the session is kept, the delays after which the engine calls {@link #publishDelayedWill}
     * and {@link #expire} (-1: nothing to schedule), stamped with {@code disconnects} so a
     * timer from an older disconnect does nothing.
     */
    public record Departure(Message willNow, Session session, long stamp, long willDelayMillis, long expiryMillis) {
        static final Departure NONE = new Departure(null, null, 0, -1, -1);
    }

    /**
     * Detaches {@code out} from {@code session}. Returns the will to publish (abnormal end of
     * the attached connection), or null. A session whose expiry interval is 0 ends here.
     */
    public Message disconnect(Session session, SessionOutput out, boolean graceful) {
        return depart(session, out, graceful).willNow();
    }

    /**
     * Like {@link #disconnect}, with the MQTT 5 timers: a session with a Session Expiry
     * Interval is kept that long; a will with a delay waits for it (at most until the session
     * expires).
     */
    public Departure depart(Session session, SessionOutput out, boolean graceful) {
        Departure[] result = {Departure.NONE};
        sessions.computeIfPresent(session.clientId(), (id, current) -> {
            if (current == session && current.pending() == out) {
                current.pending(null); // closed while waiting for the hand-over: it never owned the session
                return current;
            }
            if (current != session || !session.detach(out)) {
                return current; // displaced already: the new connection owns the session
            }
            if (session.journal() != null) {
                session.journal().flush(id); // what the last drain's acknowledgements held back
            }
            Message will = graceful ? null : session.will();
            session.will(null);
            long expiry = session.expirySeconds();
            long willDelay = will == null ? 0 : Math.min(session.willDelaySeconds(), expiry);
            if (will == null || willDelay == 0) {
                storeWill(session, null, 0); // none, or it goes out now: a restart must not send it again
            }
            if (expiry == 0) {
                discardState(session);
                result[0] = new Departure(will, null, 0, -1, -1);
                return null;
            }
            if (session.journal() != null && expiry != Session.NEVER_EXPIRES) {
                session.journal().expiry(id, expiry, limits.clock().millis());
            }
            long expiryMillis = expiry == Session.NEVER_EXPIRES ? -1 : expiry * 1000;
            if (will != null && willDelay > 0) {
                session.delayedWill(will);
                result[0] = new Departure(null, session, session.disconnects(), willDelay * 1000, expiryMillis);
            } else {
                result[0] = new Departure(will, session, session.disconnects(), -1, expiryMillis);
            }
            return current;
        });
        return result[0];
    }

    /** A will delay ran out: returns the will to publish unless the session resumed or left meanwhile. */
    public Message publishDelayedWill(Session session, long stamp) {
        Message[] will = new Message[1];
        sessions.computeIfPresent(session.clientId(), (id, current) -> {
            if (current == session && !session.isOnline() && session.pending() == null && session.disconnects() == stamp) {
                will[0] = session.delayedWill();
                session.delayedWill(null);
                storeWill(session, null, 0);
            }
            return current;
        });
        return will[0];
    }

    /**
     * The session's expiry interval ran out after the disconnect {@code stamp}: ends it unless
     * a connection resumed it meanwhile. Returns a will still waiting for its delay (sent at
     * session end at the latest), or null.
     */
    public Message expire(Session session, long stamp) {
        Message[] will = new Message[1];
        sessions.computeIfPresent(session.clientId(), (id, current) -> {
            if (current != session || session.isOnline() || session.pending() != null || session.disconnects() != stamp) {
                return current;
            }
            will[0] = session.delayedWill();
            session.delayedWill(null);
            discardState(session);
            LOG.info("session {} expired: {} s after its connection ended", id, session.expirySeconds());
            return null;
        });
        return will[0];
    }

    /** A new Session Expiry Interval from the client's DISCONNECT (MQTT 5). Owner thread. */
    public void expiry(Session session, long expirySeconds) {
        session.expirySeconds(expirySeconds);
        if (session.journal() != null) {
            session.journal().expiry(session.clientId(), expirySeconds, -1);
        }
    }

    private Session newSession(String id, boolean cleanSession) {
        long from = log == null ? 0 : log.endOffset();
        Session session = new Session(id, cleanSession, limits, maxInflight, maxInbound, log, journal, from);
        if (session.journal() != null) {
            session.journal().created(id, from);
        }
        return session;
    }

    /**
     * Re-creates a persistent session read back from the store at startup, offline, with its
     * subscriptions in the tree; it reads the log from {@code committedOffset} once attached.
     */
    public Session restore(String clientId, long committedOffset, Map<String, SubscriptionOptions> subscriptions,
                           Map<Integer, Message> inflight, Map<Integer, Boolean> released, Map<Integer, Message> inbound) {
        return restore(clientId, committedOffset, subscriptions, inflight, released, inbound, Session.NEVER_EXPIRES);
    }

    /** Like the above, for a session with an MQTT 5 Session Expiry Interval (the engine re-arms its timer). */
    public Session restore(String clientId, long committedOffset, Map<String, SubscriptionOptions> subscriptions,
                           Map<Integer, Message> inflight, Map<Integer, Boolean> released, Map<Integer, Message> inbound,
                           long expirySeconds) {
        Session session = new Session(clientId, false, limits, maxInflight, maxInbound, log, journal, committedOffset);
        session.expirySeconds(expirySeconds);
        session.restore(subscriptions, inflight, released, inbound);
        subscriptions.forEach((filter, qos) -> tree.subscribe(filter, session, qos));
        sessions.put(clientId, session);
        return session;
    }

    /** Adds or replaces one subscription. Owner thread. Returns whether it is new to the session. */
    public boolean subscribe(Session session, String filter, SubscriptionOptions qos) {
        tree.subscribe(filter, session, qos);
        if (session.isDiscarded()) {
            // a clean takeover discarded the session while its old owner was still subscribing
            tree.unsubscribe(filter, session);
            return false;
        }
        SubscriptionOptions before = session.subscriptions().put(filter, qos);
        session.subscriptionChanged(before, qos);
        boolean added = before == null;
        if (session.journal() != null) {
            session.journal().subscribed(session.clientId(), filter, qos);
        }
        return added;
    }

    /** Removes one subscription; returns whether it existed. Owner thread. */
    public boolean unsubscribe(Session session, String filter) {
        SubscriptionOptions before = session.subscriptions().remove(filter);
        session.subscriptionChanged(before, null);
        boolean existed = before != null;
        if (existed && session.journal() != null) {
            session.journal().unsubscribed(session.clientId(), filter);
        }
        return tree.unsubscribe(filter, session) || existed;
    }

    /**
     * The lowest committed offset of all durable sessions (compaction must keep what is above it).
     * Any thread: reads only what each session's owner published ({@link Session#committedFloor()}).
     */
    public long lowestCommittedOffset() {
        long low = Long.MAX_VALUE;
        for (Session s : sessions.values()) {
            if (s.durable()) {
                low = Math.min(low, s.committedFloor());
            }
        }
        return low;
    }

    /**
     * Drops every session without journaling anything (their durable state stays where it is):
     * a cluster node that lost its leadership forgets what it held, and rebuilds from the log
     * when it leads again. The sessions' connections must be closed already.
     */
    public void forgetAll() {
        for (Session s : sessions.values()) {
            for (String filter : s.subscriptions().keySet()) {
                tree.unsubscribe(filter, s);
            }
            s.subscriptions().clear();
            s.discard();
        }
        sessions.clear();
    }

    public Session get(String clientId) {
        return sessions.get(clientId);
    }

    public Collection<Session> all() {
        return sessions.values();
    }

    public int size() {
        return sessions.size();
    }

    public long onlineCount() {
        return sessions.values().stream().filter(Session::isOnline).count();
    }

    /**
     * Re-arms the will a restored session stored: it waits for its delay as if the connection
     * had ended when it did (or at the restart, for one connected at the crash).
     */
    public void restoreWill(Session session, Message will) {
        session.delayedWill(will);
        session.willStored(true);
    }

    /** Journals the session's will; a session that had one stored and has none now clears it. */
    private static void storeWill(Session session, Message will, long delaySeconds) {
        if (session.journal() != null && (will != null || session.willStored())) {
            session.journal().will(session.clientId(), will, delaySeconds);
            session.willStored(will != null);
        }
    }

    private void discardState(Session session) {
        for (String filter : session.subscriptions().keySet()) {
            tree.unsubscribe(filter, session);
        }
        session.subscriptions().clear();
        session.discard();
        if (session.journal() != null) {
            session.journal().removed(session.clientId());
        }
    }
}
