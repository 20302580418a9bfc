package io.gomq.core.engine;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.delivery.Router;
import io.gomq.core.log.MessageLog;
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
    private volatile boolean closed;

    public BrokerEngine(BrokerConfig config) {
        this(config, new MemoryRetainedStore(), null);
    }

    /** @param log the durable log, or null for a memory-only broker */
    public BrokerEngine(BrokerConfig config, RetainedStore retained, MessageLog log) {
        this.config = config.conclude();
        this.retained = retained;
        this.log = log;
        this.sessions = new SessionRegistry(tree, QueueLimits.from(config), config.maxInflight(), config.maxSessions());
        this.router = new Router(tree, retained, metrics);
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
        Topics.validateName(message.topic());
        if (message.payloadSize() > config.maxPayloadBytes()) {
            throw new PayloadTooLargeException(message.payloadSize(), config.maxPayloadBytes());
        }
    }

    /**
     * Publishes a validated message to every matching subscription. Any thread. Returns the
     * number of subscriber queues it reached; a congested queue pauses {@code pacer}.
     */
    public int publish(Message message, Pacer pacer) {
        ensureOpen();
        return router.route(message, pacer);
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
            router.route(will, null);
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
        LOG.info("engine closed: {} sessions, {} subscriptions, {} retained, {} messages in",
                sessions.size(), tree.subscriptionCount(), retained.size(), metrics.messagesIn.sum());
    }

    private void ensureOpen() {
        if (closed) {
            throw new BrokerClosedException();
        }
    }
}
