package io.gomq.core.session;

import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.queue.QueueLimits;
import io.gomq.core.topic.TopicTree;

import io.gomq.core.log.MessageLog;

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
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final TopicTree<Session> tree;
    private final QueueLimits limits;
    private final int maxInflight;
    private final int maxSessions;
    private final MessageLog log;
    private final SessionJournal journal;

    public SessionRegistry(TopicTree<Session> tree, QueueLimits limits, int maxInflight, int maxSessions) {
        this(tree, limits, maxInflight, maxSessions, null, null);
    }

    /** With a log and a journal, persistent sessions are durable. */
    public SessionRegistry(TopicTree<Session> tree, QueueLimits limits, int maxInflight, int maxSessions,
                           MessageLog log, SessionJournal journal) {
        this.tree = tree;
        this.limits = limits;
        this.maxInflight = maxInflight;
        this.maxSessions = maxSessions;
        this.log = log;
        this.journal = journal;
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
        Object[] result = new Object[5];
        sessions.compute(clientId, (id, existing) -> {
            SessionOutput displaced = null;
            CompletableFuture<Void> ownerGone = null;
            if (existing != null) {
                displaced = existing.output();
                if (displaced != null) {
                    existing.detach(displaced);
                    existing.released(displaced.takenOver()); // only schedules: nothing blocks in here
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
                session = newSession(id, cleanSession);
            } else {
                present = true;
            }
            session.will(will);
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
     * Detaches {@code out} from {@code session}. Returns the will to publish (abnormal end of
     * the attached connection), or null. A clean session ends here.
     */
    public Message disconnect(Session session, SessionOutput out, boolean graceful) {
        Message[] will = new Message[1];
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
            will[0] = graceful ? null : session.will();
            session.will(null);
            if (session.cleanSession()) {
                discardState(session);
                return null;
            }
            return current;
        });
        return will[0];
    }

    private Session newSession(String id, boolean cleanSession) {
        long from = log == null ? 0 : log.endOffset();
        Session session = new Session(id, cleanSession, limits, maxInflight, log, journal, from);
        if (session.journal() != null) {
            session.journal().created(id, from);
        }
        return session;
    }

    /**
     * Re-creates a persistent session read back from the store at startup, offline, with its
     * subscriptions in the tree; it reads the log from {@code committedOffset} once attached.
     */
    public Session restore(String clientId, long committedOffset, Map<String, Qos> subscriptions,
                           Map<Integer, Message> inflight, Map<Integer, Boolean> released, Map<Integer, Message> inbound) {
        Session session = new Session(clientId, false, limits, maxInflight, log, journal, committedOffset);
        session.restore(subscriptions, inflight, released, inbound);
        subscriptions.forEach((filter, qos) -> tree.subscribe(filter, session, qos));
        sessions.put(clientId, session);
        return session;
    }

    /** Adds or replaces one subscription. Owner thread. */
    public void subscribe(Session session, String filter, Qos qos) {
        tree.subscribe(filter, session, qos);
        if (session.isDiscarded()) {
            // a clean takeover discarded the session while its old owner was still subscribing
            tree.unsubscribe(filter, session);
            return;
        }
        session.subscriptions().put(filter, qos);
        if (session.journal() != null) {
            session.journal().subscribed(session.clientId(), filter, qos);
        }
    }

    /** Removes one subscription; returns whether it existed. Owner thread. */
    public boolean unsubscribe(Session session, String filter) {
        boolean existed = session.subscriptions().remove(filter) != null;
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
