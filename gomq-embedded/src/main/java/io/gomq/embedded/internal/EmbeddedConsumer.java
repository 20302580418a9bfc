package io.gomq.embedded.internal;

import io.gomq.client.ConsumerOptions;
import io.gomq.client.Delivery;
import io.gomq.client.MessageHandler;
import io.gomq.client.Qos;
import io.gomq.client.spi.ConsumerBase;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.session.SessionRegistry;
import io.gomq.core.topic.InvalidTopicException;
import io.gomq.core.topic.Topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link io.gomq.client.Consumer} on an {@link InProcessConnection}. */
final class EmbeddedConsumer extends ConsumerBase {
    /** How long a new consumer waits for the previous holder of its client id to let go. */
    static final long HANDOVER_TIMEOUT_MS = 10_000;
    private static final java.util.concurrent.atomic.AtomicLong ANONYMOUS = new java.util.concurrent.atomic.AtomicLong();
    private final BrokerEngine engine;
    private final InProcessConnection connection;
    private final String clientId;
    private final Runnable onClose;

    /** @param authorizer the rules this consumer's principal is held to; null: trusted */
    EmbeddedConsumer(BrokerEngine engine, DispatcherPool dispatcher, ConsumerOptions options,
                     io.gomq.core.auth.TopicAuthorizer authorizer, Runnable onClose) {
        this.engine = engine;
        this.clientId = options.clientId() != null ? options.clientId() : "gomq-embedded-" + ANONYMOUS.incrementAndGet();
        this.connection = new InProcessConnection(engine, dispatcher, options.autoAck());
        this.onClose = onClose;
        var attached = engine.connect(clientId, options.cleanSession(), options.sessionExpirySeconds(), null, 0, connection);
        connection.session(attached.session());
        attached.session().topicGate(authorizer == null ? null : new io.gomq.core.auth.TopicGate(authorizer,
                new io.gomq.core.auth.Principal(options.user(), clientId), null));
        if (!attached.attached()) {
            awaitHandover(engine, attached);
        }
        awaitDurable(options.cleanSession());
    }

    /** A persistent session's changes are on disk when the call that made them returns (the caller's thread waits). */
    private void awaitDurable(boolean cleanSession) {
        if (!cleanSession) {
            try {
                engine.sessionWrites().durable(clientId).join();
            } catch (java.util.concurrent.CompletionException e) {
                throw ApiFailures.toApi(e);
            }
        }
    }

    /** Another consumer (or connection) held this client id: wait until it let go of the session. */
    private void awaitHandover(BrokerEngine engine, SessionRegistry.Attached attached) {
        try {
            attached.handover().get(HANDOVER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            engine.abandon(attached, connection);
            throw new IllegalStateException("the previous consumer of client id " + clientId
                    + " did not let go of its session within " + HANDOVER_TIMEOUT_MS + " ms (a handler still running?)");
        } catch (InterruptedException e) {
            engine.abandon(attached, connection);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while taking over client id " + clientId, e);
        } catch (ExecutionException e) {
            engine.abandon(attached, connection);
            throw new IllegalStateException("taking over client id " + clientId + " failed", e.getCause());
        }
        if (!engine.attach(attached, connection)) {
            throw new IllegalStateException("client id " + clientId + " was taken over again while this consumer waited");
        }
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    protected List<Qos> subscribeFilters(Collection<String> filters, Qos qos, MessageHandler handler) {
        if (handler != null) {
            connection.handler(handler);
        }
        List<String> list = new ArrayList<>(filters);
        for (String f : list) {
            try {
                Topics.validateFilter(f); // a clear exception for the embedder, before anything is subscribed
            } catch (InvalidTopicException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        // engine.subscribe is safe from any thread: the tree is synchronized and the retained backlog is MPSC
        int[] codes = engine.subscribe(connection.session(), list, Collections.nCopies(list.size(), CoreMessages.toCore(qos)));
        List<Qos> granted = new ArrayList<>(codes.length);
        for (int c : codes) {
            if (c == BrokerEngine.SUBSCRIBE_QUOTA_EXCEEDED) {
                throw new IllegalArgumentException("subscription refused: max-subscriptions-per-session reached");
            }
            if (c == BrokerEngine.SUBSCRIBE_NOT_AUTHORIZED) {
                throw new io.gomq.client.NotAuthorizedException("subscription to " + list.get(granted.size())
                        + " not authorized for this consumer's principal");
            }
            if (c >= BrokerEngine.SUBSCRIBE_FAILURE) {
                throw new IllegalArgumentException("subscription refused");
            }
            granted.add(Qos.of(c));
        }
        awaitDurable(connection.session().expirySeconds() == 0);
        return granted;
    }

    @Override
    public void unsubscribe(Collection<String> filters) {
        ensureOpen();
        engine.unsubscribe(connection.session(), new ArrayList<>(filters));
        awaitDurable(connection.session().expirySeconds() == 0);
    }

    @Override
    protected Delivery pollNext(Duration timeout) {
        return connection.poll(timeout.toNanos());
    }

    @Override
    public long handlerErrors() {
        return connection.handlerErrors();
    }

    @Override
    public boolean isClosed() {
        return connection.isClosed();
    }

    @Override
    public void close() {
        if (!connection.isClosed()) {
            connection.close();
            onClose.run();
        }
    }
}
