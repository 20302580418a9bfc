package io.gomq.core.engine;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.delivery.PublishResult;
import io.gomq.core.delivery.Router;
import io.gomq.core.log.MessageLog;
import io.gomq.core.log.session.SessionStore;
import io.gomq.core.retained.LogRetainedStore;
import io.gomq.core.session.SessionJournal;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.queue.Pacer;
import io.gomq.core.queue.QueueLimits;
import io.gomq.core.retained.MemoryRetainedStore;
import io.gomq.core.retained.RetainedStore;
import io.gomq.core.session.Session;
import io.gomq.core.session.SessionOutput;
import io.gomq.core.session.SessionRegistry;
import io.gomq.core.topic.TopicTree;
import io.gomq.core.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The broker without its transport: sessions, routing, retained messages. The network layer
 * and the embedded API both drive it through these methods; the methods that take a
 * {@link Session} run on that session's owner thread.
 */
public final class BrokerEngine implements AutoCloseable {
    /** SUBACK return code for a refused subscription. */
    public static final int SUBSCRIBE_FAILURE = 0x80;

    private static final Logger LOG = LoggerFactory.getLogger(BrokerEngine.class);

    private final BrokerConfig config;
    private final EngineMetrics metrics = new EngineMetrics();
    private final TopicTree<Session> tree = new TopicTree<>();
    private final RetainedStore retained;
    private final SessionRegistry sessions;
    private final Router router;
    private final MessageLog log;
    private final SessionStore sessionStore;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private volatile boolean closed;

    /** A memory-only engine (whatever {@code config.persistent()} says). */
    public BrokerEngine(BrokerConfig config) {
        this(config, new MemoryRetainedStore(), null);
    }

    /** @param log the durable log, or null for a memory-only broker; persistent sessions are then not durable */
    public BrokerEngine(BrokerConfig config, RetainedStore retained, MessageLog log) {
        this(config, retained, log, null);
    }

    private BrokerEngine(BrokerConfig config, RetainedStore retained, MessageLog log, SessionStore store) {
        this.config = config.conclude();
        this.retained = retained;
        this.log = log;
        this.sessionStore = store;
        SessionJournal journal = store == null ? null : new StoreSessionJournal(store);
        this.sessions = new SessionRegistry(tree, QueueLimits.from(config), config.maxInflight(), config.maxSessions(),
                log, journal);
        this.router = new Router(tree, retained, metrics, log);
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
        MessageLog log = MessageLog.open(config);
        SessionStore store = null;
        try {
            store = SessionStore.open(config);
            BrokerEngine engine = new BrokerEngine(config, new LogRetainedStore(log), log, store);
            engine.owned.add(store);
            engine.owned.add(log);
            SessionRecovery.restore(store, log, engine.sessions);
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

    public BrokerConfig config() { return config; }
    public EngineMetrics metrics() { return metrics; }
    public SessionRegistry sessions() { return sessions; }
    public RetainedStore retained() { return retained; }
    public TopicTree<Session> topicTree() { return tree; }
    public boolean isClosed() { return closed; }
    /** The durable log, or null when the broker runs memory-only. */
    public MessageLog log() { return log; }

    /** Checks a message from a client or the API before it enters the engine. */
    public void validate(Message message) {
        ensureOpen();
        if (!tree.isKnownTopic(message.topic())) { // topics in the match cache were validated before
            Topics.validateName(message.topic());
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
     * Like {@link #publish}, also telling the log offset. A message that must be durable
     * (retained, or QoS 1/2 for a persistent session) is appended to the log before this
     * returns, so a QoS 1/2 acknowledgement sent after it is safe.
     */
    public PublishResult publishWithResult(Message message, Pacer pacer) {
        ensureOpen();
        return router.routeDurably(message, pacer);
    }

    public SessionRegistry.Attached connect(String clientId, boolean cleanSession, Message will, SessionOutput out) {
        ensureOpen();
        if (will != null) {
            validate(will);
        }
        return sessions.connect(clientId, cleanSession, will, out);
    }

    /** Ends a connection; publishes the will if the end was not a DISCONNECT. */
    public void disconnect(Session session, SessionOutput out, boolean graceful) {
        Message will = sessions.disconnect(session, out, graceful);
        if (will != null && !closed) {
            metrics.willsPublished.increment();
            router.routeDurably(will, null);
        }
    }

    /**
     * Subscribes {@code session} to each filter; returns one SUBACK code per filter (the
     * granted QoS, or {@link #SUBSCRIBE_FAILURE} for an invalid filter). The newest retained
     * message of each matching topic is queued for delivery. Owner thread.
     */
    public int[] subscribe(Session session, List<String> filters, List<Qos> requested) {
        ensureOpen();
        int[] codes = new int[filters.size()];
        List<Message> toSend = new ArrayList<>();
        for (int i = 0; i < codes.length; i++) {
            String filter = filters.get(i);
            if (!Topics.isValidFilter(filter)) {
                codes[i] = SUBSCRIBE_FAILURE;
                continue;
            }
            Qos qos = requested.get(i);
            sessions.subscribe(session, filter, qos);
            codes[i] = qos.value();
            for (Message m : retained.matching(filter)) {
                toSend.add(m.withQos(qos));
            }
        }
        session.addRetained(toSend);
        return codes;
    }

    /** Owner thread. */
    public void unsubscribe(Session session, List<String> filters) {
        for (String filter : filters) {
            sessions.unsubscribe(session, filter);
        }
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

    private void ensureOpen() {
        if (closed) {
            throw new BrokerClosedException();
        }
    }
}
