package io.gomq.core.engine;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.delivery.PublishResult;
import io.gomq.core.delivery.Router;
import io.gomq.core.log.LogAppend;
import io.gomq.core.log.MessageLog;
import io.gomq.core.session.store.SessionStore;
import io.gomq.core.retained.LogRetainedStore;
import io.gomq.core.session.store.LogSessionJournal;
import io.gomq.core.session.store.SessionJournal;
import io.gomq.core.session.store.SessionState;
import io.gomq.core.session.store.StoreSessionJournal;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.queue.Pacer;
import io.gomq.core.queue.QueueLimits;
import io.gomq.core.queue.QueuedBytesBudget;
import io.gomq.core.retained.MemoryRetainedStore;
import io.gomq.core.retained.RetainedStore;
import io.gomq.core.session.InboundQos2;
import io.gomq.core.session.Session;
import io.gomq.core.session.SessionOutput;
import io.gomq.core.session.SessionRegistry;
import io.gomq.core.topic.TopicTree;
import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.session.SubscriptionIndex;
import io.gomq.core.delivery.SharedSubscriptions;
import io.gomq.core.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The broker without its transport: sessions, routing, retained messages. The network layer
 * and the embedded API both drive it through these methods; the methods that take a
 * {@link Session} run on that session's owner thread.
 */
public final class BrokerEngine implements AutoCloseable {
    /** SUBACK return code for a refused subscription. */
    public static final int SUBSCRIBE_FAILURE = 0x80;
    /**
     * Code for a subscription the session's {@link io.gomq.core.auth.TopicGate} refuses: an MQTT 5
     * client reads it as 0x87 Not authorized, a 3.1.1 client as {@link #SUBSCRIBE_FAILURE}.
     */
    public static final int SUBSCRIBE_NOT_AUTHORIZED = 0x87;

    /**
     * SUBACK code for a subscription over max-subscriptions-per-session: MQTT 5 reason 0x97
     * (Quota exceeded); a 3.1.1 client reads {@link #SUBSCRIBE_FAILURE}.
     */
    public static final int SUBSCRIBE_QUOTA_EXCEEDED = 0x97;
    /**
     * Topics under this prefix belong to the broker (a cluster keeps its persistent sessions
     * there, see {@link LogSessionJournal}): clients may neither publish nor subscribe to them.
     */
    public static final String RESERVED_PREFIX = "$gomq/";

    private static final Logger LOG = LoggerFactory.getLogger(BrokerEngine.class);
    /** A compaction floor that keeps every record. */
    private static final LongSupplier KEEP_ALL = () -> 0L;

    private final BrokerConfig config;
    private final EngineMetrics metrics = new EngineMetrics();
    private final EngineLimits limits;
    private final TopicTree<Session> tree = new TopicTree<>();
    private final SharedSubscriptions shared = new SharedSubscriptions();
    private final RetainedStore retained;
    private final SessionRegistry sessions;
    private final Router router;
    private final MessageLog log;
    private final SessionStore sessionStore;
    /** Cluster mode: persistent sessions live in the log; null otherwise. */
    private final LogSessionJournal logJournal;
    /**
     * Cluster mode: a persistent session's QoS 1 progress goes into the log at most this often
     * (see {@link LogSessionJournal#coalesce}); a failover repeats at most this much of its stream.
     */
    static final long SESSION_RECORD_WINDOW_MS = 20;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final SessionTimers timers;
    private final SessionWrites sessionWrites;
    /** Payload bytes in all subscriber queues against max-queued-bytes-total. */
    private final QueuedBytesBudget queuedBytes;
    private volatile AckGate ackGate = AckGate.IMMEDIATE;
    private volatile boolean closed;

    /** A memory-only engine (whatever {@code config.persistent()} says). */
    public BrokerEngine(BrokerConfig config) {
        this(config, new MemoryRetainedStore(), null);
    }

    /** A memory-only engine whose subscriber queues measure the stuck time by {@code nanoClock} (tests). */
    public BrokerEngine(BrokerConfig config, LongSupplier nanoClock) {
        this(config, new MemoryRetainedStore(), null, null, null, nanoClock);
    }

    /** @param log the durable log, or null for a memory-only broker; persistent sessions are then not durable */
    public BrokerEngine(BrokerConfig config, RetainedStore retained, MessageLog log) {
        this(config, retained, log, null);
    }

    private BrokerEngine(BrokerConfig config, RetainedStore retained, MessageLog log, SessionStore store) {
        this(config, retained, log, store, store == null ? null : new StoreSessionJournal(store));
    }

    private BrokerEngine(BrokerConfig config, RetainedStore retained, MessageLog log, SessionStore store,
                         SessionJournal journal) {
        this(config, retained, log, store, journal, null);
    }

    /** @param nanoClock null: the config's clock measures everything; else it measures the stuck time */
    private BrokerEngine(BrokerConfig config, RetainedStore retained, MessageLog log, SessionStore store,
                         SessionJournal journal, LongSupplier nanoClock) {
        this.config = config.conclude();
        this.limits = new EngineLimits(config, metrics);
        this.retained = retained;
        this.log = log;
        this.sessionStore = store;
        this.logJournal = journal instanceof LogSessionJournal l ? l : null;
        this.sessionWrites = new SessionWrites(store, logJournal);
        QueueLimits queueLimits = nanoClock == null ? QueueLimits.from(config) : QueueLimits.from(config).withClock(nanoClock);
        this.queuedBytes = queueLimits.total();
        this.sessions = new SessionRegistry(subscriptionIndex(tree, shared), queueLimits,
                config.maxInflight(), config.maxSessions(),
                log, journal);
        this.sessions.maxInbound(config.receiveMaximum());
        this.router = new Router(tree, shared, retained, metrics, log);
        this.timers = new SessionTimers(sessions, this::publishWill, config.clock());
        this.owned.add(timers);
        if (logJournal != null) {
            logJournal.coalesce(SESSION_RECORD_WINDOW_MS, config.clock()::nanos, timers::after);
        }
    }

    /**
     * Opens the engine as configured: with {@code config.persistent()} it opens (or recovers)
     * the log and the session store under the data dir, restores persistent sessions, and owns
     * and closes them; otherwise memory-only. A failure closes whatever was opened.
     */
    public static BrokerEngine open(BrokerConfig config) {
        config.conclude();
        if (!config.persistent()) {
            return new BrokerEngine(config);
        }
        // until the stored sessions are back and say what they still need, compaction keeps everything
        MessageLog log = MessageLog.open(config, KEEP_ALL);
        SessionStore store = null;
        try {
            store = SessionStore.open(config, log.diskSpace());
            BrokerEngine engine = new BrokerEngine(config, new LogRetainedStore(log), log, store);
            engine.owned.add(store);
            engine.owned.add(log);
            SessionRecovery.restore(store, log, engine.sessions, engine.timers);
            log.compactionFloor(engine.sessions::lowestCommittedOffset);
            return engine;
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            log.close();
            throw e;
        }
    }

    /**
     * Opens the engine for a cluster node: the durable log is required (a {@link io.gomq.core.config.ConfigException}
     * otherwise) and persistent sessions are journaled into the log itself ({@link LogSessionJournal}),
     * so replication carries them. No session is restored here: the node starts as a member and
     * calls {@link #restoreSessionsFromLog()} when it becomes the leader.
     */
    public static BrokerEngine openReplicated(BrokerConfig config) {
        config.conclude();
        if (!config.persistent()) {
            throw new io.gomq.core.config.ConfigException("persistent", false,
                    "a cluster node needs the durable log (persistent=true)");
        }
        MessageLog log = MessageLog.open(config, KEEP_ALL); // until the floor below is in force
        try {
            LogSessionJournal journal = new LogSessionJournal(log);
            BrokerEngine engine = new BrokerEngine(config, new LogRetainedStore(log), log, null, journal);
            engine.owned.add(log);
            // members hold no live sessions: the replicated states say what compaction must keep
            log.compactionFloor(() -> Math.min(engine.sessions.lowestCommittedOffset(), journal.lowestNeededOffset()));
            return engine;
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /**
     * Cluster mode, on becoming the leader: forgets the sessions held so far and re-creates every
     * persistent session from its newest state in the log, its in-flight messages read back by
     * offset. Call before accepting clients. Returns the number of sessions restored.
     *
     * @throws IllegalStateException when the engine was not opened with {@link #openReplicated}
     */
    public int restoreSessionsFromLog() {
        if (logJournal == null) {
            throw new IllegalStateException("sessions are not kept in the log (not opened with openReplicated)");
        }
        sessions.forgetAll();
        List<SessionState> states = logJournal.reload();
        SessionRecovery.restore(states, log, sessions, timers);
        return states.size();
    }

    /** Cluster mode, on losing the leadership: drops every session (their connections are closed first). */
    public void forgetSessions() {
        sessions.forgetAll();
    }

    public BrokerConfig config() { return config; }
    public EngineMetrics metrics() { return metrics; }
    public SessionRegistry sessions() { return sessions; }
    public RetainedStore retained() { return retained; }
    /** Payload bytes held in all subscriber queues, against max-queued-bytes-total ({@link QueuedBytesBudget#NONE}: no limit). */
    public QueuedBytesBudget queuedBytes() { return queuedBytes; }
    public TopicTree<Session> topicTree() { return tree; }
    public boolean isClosed() { return closed; }
    /** The durable log, or null when the broker runs memory-only. */
    public MessageLog log() { return log; }
    /** The data directory's free space against its reserve, or null without a log. */
    public io.gomq.core.log.DiskSpace diskSpace() { return log == null ? null : log.diskSpace(); }

    /** Where persistent sessions' updates go to disk, and when they are there (the transport waits for it). */
    public SessionWrites sessionWrites() { return sessionWrites; }

    /** The gate acknowledgements of persisted messages pass; {@link AckGate#IMMEDIATE} unless a cluster installed one. */
    public AckGate ackGate() { return ackGate; }

    /** Installs the gate every later acknowledgement waits for (a cluster: replication to min-insync members). */
    public void ackGate(AckGate gate) {
        this.ackGate = java.util.Objects.requireNonNull(gate, "gate");
    }

    /**
     * When the publish that gave {@code result} may be acknowledged: at once when it was not
     * persisted (nothing to wait for); else once the log's writer has stored it (under FSYNC:
     * forced) and, when a gate is installed, per {@link #ackGate()}. A refusal of the log (disk
     * full, not the leader) fails the future: never acknowledge.
     */
    public java.util.concurrent.CompletableFuture<Void> acknowledgement(PublishResult result) {
        if (!result.persisted()) {
            return AckGate.DONE;
        }
        AckGate gate = ackGate;
        LogAppend stored = result.pending();
        if (stored == null) {
            return gate == AckGate.IMMEDIATE ? AckGate.DONE : gate.whenDurable(result.offset());
        }
        boolean done = stored.isDone() && !stored.isCompletedExceptionally();
        if (gate == AckGate.IMMEDIATE) {
            return done ? AckGate.DONE : stored;
        }
        return done ? gate.whenDurable(stored.offset()) : stored.thenCompose(v -> gate.whenDurable(stored.offset()));
    }

    /**
     * When everything appended to the log so far may be acknowledged (e.g. a QoS 2 message a
     * persistent session journaled before its PUBREC). At once without a log or a gate.
     */
    public java.util.concurrent.CompletableFuture<Void> acknowledgementOfLogEnd() {
        CompletableFuture<Void> journaled = logJournal == null ? AckGate.DONE : logJournal.newest();
        if (!journaled.isDone()) { // a session record still on its way to the log's writer
            // a refused record fails its own session's flush (SessionWrites.durable), not everyone's acks
            return journaled.handle((v, refused) -> null).thenCompose(v -> acknowledgementOfLogEnd());
        }
        AckGate gate = ackGate;
        if (log == null || gate == AckGate.IMMEDIATE) {
            return AckGate.DONE;
        }
        long last = log.endOffset() - 1;
        return last < 0 ? AckGate.DONE : gate.whenDurable(last);
    }

    /**
     * Checks a message from a client or the API before it enters the engine: topic, payload size
     * and the retained-message limit ({@link RetainedLimitException}).
     */
    public void validate(Message message) {
        validateTopicAndSize(message);
        limits.checkRetained(message, retained);
    }

    /** {@link #validate} without the retained-message limit (a will: it counts when it is published). */
    private void validateTopicAndSize(Message message) {
        ensureOpen();
        if (!tree.isKnownTopic(message.topic())) { // topics in the match cache were validated before
            Topics.validateName(message.topic());
            limits.checkTopic(message.topic(), "topic name");
            if (isReserved(message.topic())) {
                throw new io.gomq.core.topic.InvalidTopicException("topics under " + RESERVED_PREFIX + " are reserved");
            }
        }
        if (message.payloadSize() > config.maxPayloadBytes()) {
            throw new PayloadTooLargeException(message.payloadSize(), config.maxPayloadBytes());
        }
    }

    /**
     * Publishes a validated message to every matching subscription. Any thread. Returns the
     * number of subscriber queues it reached; a congested queue pauses {@code pacer}.
     */
    public int publish(Message message, Pacer pacer) {
        return publishWithResult(message, pacer).subscribers();
    }

    /**
     * PUBREL of an incoming QoS 2 message: publishes it, then journals its release. In that order
     * a crash between the two cannot lose a message the client will see completed (its PUBREL
     * comes again after the restart); and a message restored after a restart that the log holds
     * already (published just before the crash) is not published twice. A {@link DiskFullException}
     * thrown here leaves it pending: the client's next PUBREL tries again.
     *
     * <p>Never waits: the release is journaled on {@code owner} (the session's owner thread) once
     * the log's writer has stored the message; the returned future completes then, or fails with
     * the log's refusal (the message stays pending). A PUBREL re-sent meanwhile gets the same
     * future; one released before gets a done one (answer PUBCOMP either way).
     */
    public CompletableFuture<Void> releaseInbound(Session session, int packetId, Pacer pacer, Executor owner) {
        InboundQos2 inbound = session.inbound();
        CompletableFuture<Void> running = inbound.releasing(packetId);
        if (running != null) {
            return running;
        }
        Message m = inbound.pending(packetId);
        if (m == null) {
            return AckGate.DONE; // released before
        }
        LogAppend stored = null;
        if (!(inbound.restored(packetId) && InboundDuplicates.logHolds(log, m))) {
            stored = publishWithResult(m, pacer).pending();
        }
        if (stored == null || (stored.isDone() && !stored.isCompletedExceptionally())) {
            inbound.release(packetId);
            return AckGate.DONE;
        }
        CompletableFuture<Void> released = new CompletableFuture<>();
        inbound.releasing(packetId, released);
        stored.whenCompleteAsync((v, refusal) -> {
            inbound.released(packetId);
            if (refusal != null) {
                released.completeExceptionally(refusal);
                return;
            }
            inbound.release(packetId);
            released.complete(null);
        }, owner);
        return released;
    }

    /**
     * Like {@link #publish}, also telling the log offset. A message that must be durable
     * (retained, or QoS 1/2 for a persistent session) is handed to the log's writer: its
     * acknowledgement waits for {@link #acknowledgement(PublishResult)}. The log's refusal (disk
     * full, not the leader) is thrown here, before anything is delivered.
     */
    public PublishResult publishWithResult(Message message, Pacer pacer) {
        ensureOpen();
        return router.routeDurably(message, pacer);
    }

    /**
     * A paced publisher resumed: offers the copies its pacer holds again, on the publisher's
     * thread, before it reads anything more. Returns true when it may read on (nothing held, not
     * paced again).
     */
    public boolean releaseHeld(Pacer pacer) {
        return router.releaseHeld(pacer);
    }

    /** The paced publisher went away: what its pacer holds gets one last offer; the rest is dropped (counted). */
    public void discardHeld(Pacer pacer) {
        router.discardHeld(pacer);
    }

    public SessionRegistry.Attached connect(String clientId, boolean cleanSession, Message will, SessionOutput out) {
        return connect(clientId, cleanSession, cleanSession ? 0 : Session.NEVER_EXPIRES, will, 0, out);
    }

    /**
     * MQTT 5 connect: {@code cleanStart} discards a stored session, {@code expirySeconds} is how
     * long the session outlives this connection (0 = not at all), and the will waits
     * {@code willDelaySeconds} after an abnormal end.
     */
    public SessionRegistry.Attached connect(String clientId, boolean cleanStart, long expirySeconds, Message will,
                                            long willDelaySeconds, SessionOutput out) {
        ensureOpen();
        if (will != null) {
            validateTopicAndSize(will);
        }
        SessionRegistry.Attached attached = sessions.connect(clientId, cleanStart, expirySeconds, will, willDelaySeconds, out);
        if (attached.displaced() != null) {
            metrics.sessionsTakenOver.increment();
        }
        return attached; // the CONNACK's flush waits for sessionWrites().durable(clientId)
    }

    /**
     * Completes a connect whose {@link SessionRegistry.Attached#handover()} had to wait for the
     * previous owner: call on {@code out}'s owner thread once it completed. False when another
     * connection displaced {@code out} meanwhile.
     */
    public boolean attach(SessionRegistry.Attached attached, SessionOutput out) {
        ensureOpen();
        return sessions.attach(attached, out);
    }

    /** Gives up a connect whose hand-over did not complete in time. */
    public void abandon(SessionRegistry.Attached attached, SessionOutput out) {
        sessions.abandon(attached, out);
    }

    /** Ends a connection; publishes the will if the end was not a DISCONNECT. */
    public void disconnect(Session session, SessionOutput out, boolean graceful) {
        List<String> sharedFilters = List.of();
        List<Message> held = List.of();
        if (session.output() == out && session.expirySeconds() == 0) {
            sharedFilters = session.subscriptions().keySet().stream().filter(Topics::isShared).toList();
            if (!sharedFilters.isEmpty()) {
                held = session.takeUndelivered(); // a leaving member's share goes to the others
            }
        }
        SessionRegistry.Departure d = sessions.depart(session, out, graceful);
        if (!held.isEmpty()) {
            shared.handOver(session, sharedFilters, held);
        }
        if (d.willNow() != null) {
            publishWill(d.willNow());
        }
        if (d.session() != null && !closed) {
            timers.schedule(d);
        }
    }

    private void publishWill(Message will) {
        if (!closed) {
            metrics.willsPublished.increment();
            router.routeDurably(will, null);
        }
    }

    /**
     * Subscribes {@code session} to each filter; returns one SUBACK code per filter (the
     * granted QoS, {@link #SUBSCRIBE_FAILURE} for an invalid filter or one over the topic limits,
     * {@link #SUBSCRIBE_NOT_AUTHORIZED} for one the session's topic permissions refuse,
     * {@link #SUBSCRIBE_QUOTA_EXCEEDED} past max-subscriptions-per-session). The newest retained
     * message of each matching topic is queued for delivery. Owner thread.
     */
    public int[] subscribe(Session session, List<String> filters, List<Qos> requested) {
        List<SubscriptionOptions> options = new ArrayList<>(requested.size());
        for (Qos q : requested) {
            options.add(SubscriptionOptions.of(q));
        }
        return subscribeWithOptions(session, filters, options);
    }

    /**
     * Like {@link #subscribe(Session, List, List)} with MQTT 5 options. Retained messages follow
     * Retain Handling (0: always, 1: only for a subscription new to the session, 2: never) and go
     * out with RETAIN 1; a shared subscription ({@code $share/GROUP/FILTER}) gets none (MQTT 5
     * section 4.8.2). Owner thread.
     */
    public int[] subscribeWithOptions(Session session, List<String> filters, List<SubscriptionOptions> requested) {
        ensureOpen();
        int[] codes = new int[filters.size()];
        List<Message> toSend = new ArrayList<>();
        for (int i = 0; i < codes.length; i++) {
            String filter = filters.get(i);
            boolean shared = Topics.isShared(filter);
            if (!(shared ? isValidShared(filter) : Topics.isValidFilter(filter)) || isReserved(filter)) {
                codes[i] = SUBSCRIBE_FAILURE;
                continue;
            }
            if (!limits.allowsFilter(filter)) {
                codes[i] = SUBSCRIBE_FAILURE;
                continue;
            }
            if (!limits.allowsSubscription(session, filter)) {
                codes[i] = SUBSCRIBE_QUOTA_EXCEEDED;
                continue;
            }
            io.gomq.core.auth.TopicGate gate = session.topicGate();
            if (gate != null && !gate.maySubscribe(shared ? Topics.sharedFilter(filter) : filter)) {
                codes[i] = SUBSCRIBE_NOT_AUTHORIZED;
                continue;
            }
            SubscriptionOptions o = requested.get(i);
            boolean isNew = sessions.subscribe(session, filter, o);
            codes[i] = o.qos().value();
            int handling = o.retainHandling();
            if (shared || handling == SubscriptionOptions.NO_RETAINED
                    || (handling == SubscriptionOptions.SEND_RETAINED_IF_NEW && !isNew)) {
                continue;
            }
            int[] ids = o.subscriptionId() == 0 ? null : new int[] {o.subscriptionId()};
            for (Message m : retained.matching(filter)) {
                toSend.add(m.withQos(o.qos()).withSubscriptionIds(ids));
            }
        }
        session.addRetained(toSend);
        return codes; // the SUBACK's flush waits for sessionWrites().durable(clientId)
    }

    private static boolean isValidShared(String filter) {
        try {
            Topics.shareGroup(filter);
            return true;
        } catch (io.gomq.core.topic.InvalidTopicException e) {
            return false;
        }
    }

    /** Owner thread. Returns, per filter, whether the session had that subscription (MQTT 5 UNSUBACK 0x00 or 0x11). */
    public boolean[] unsubscribe(Session session, List<String> filters) {
        boolean[] existed = new boolean[filters.size()];
        for (int i = 0; i < existed.length; i++) {
            existed[i] = sessions.unsubscribe(session, filters.get(i));
        }
        return existed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.error("closing {} failed", c, e);
            }
        }
        LOG.info("engine closed: {} sessions, {} subscriptions, {} retained, {} messages in",
                sessions.size(), tree.subscriptionCount(), retained.size(), metrics.publishes.messages());
    }

    /** Ordinary filters go to the topic tree, {@code $share/} filters to their shared group. */
    private static SubscriptionIndex subscriptionIndex(TopicTree<Session> tree, SharedSubscriptions shared) {
        return new SubscriptionIndex() {
            @Override
            public void subscribe(String filter, Session session, SubscriptionOptions options) {
                if (Topics.isShared(filter)) {
                    shared.subscribe(filter, session, options);
                } else {
                    tree.subscribe(filter, session, options);
                }
            }

            @Override
            public boolean unsubscribe(String filter, Session session) {
                return Topics.isShared(filter) ? shared.unsubscribe(filter, session) : tree.unsubscribe(filter, session);
            }
        };
    }

    /** Whether a topic or filter names the broker's own {@link #RESERVED_PREFIX} space. */
    public static boolean isReserved(String topicOrFilter) {
        return topicOrFilter.startsWith(RESERVED_PREFIX) || topicOrFilter.equals("$gomq");
    }

    private void ensureOpen() {
        if (closed) {
            throw new BrokerClosedException();
        }
    }
}
