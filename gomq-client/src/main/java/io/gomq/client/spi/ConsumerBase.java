package io.gomq.client.spi;

import io.gomq.client.ClosedException;
import io.gomq.client.Consumer;
import io.gomq.client.Delivery;
import io.gomq.client.MessageHandler;
import io.gomq.client.MessageStream;
import io.gomq.client.Qos;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * What every {@link Consumer} implementation shares: the first subscribe fixes whether
 * deliveries go to a handler or to {@link #poll} (a resumed session's stored subscriptions do
 * not count), and a closed consumer refuses subscriptions with {@link ClosedException}.
 * For the implementations only (exported to {@code io.gomq.embedded} and {@code io.gomq.remote}).
 */
public abstract class ConsumerBase implements Consumer {
    /** Handler or poll: null until the first subscribe. */
    private volatile Boolean handlerMode;

    /**
     * Subscribes in the mode the first subscribe fixed.
     *
     * @param filters the filters, validated by the implementation
     * @param qos     the most QoS wanted
     * @param handler the handler, or null for a polling consumer
     * @return the granted QoS per filter
     */
    protected abstract List<Qos> subscribeFilters(Collection<String> filters, Qos qos, MessageHandler handler);

    /**
     * The next delivery of a polling consumer.
     *
     * @param timeout how long to wait
     * @return the delivery, or null on timeout or after close
     */
    protected abstract Delivery pollNext(Duration timeout);

    @Override
    public final List<Qos> subscribe(Collection<String> filters, Qos qos, MessageHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (Boolean.FALSE.equals(handlerMode)) {
            throw new IllegalStateException("consumer " + clientId() + " already polls; use another consumer for a handler");
        }
        ensureOpen();
        handlerMode = true;
        return subscribeFilters(filters, qos, handler);
    }

    @Override
    public final MessageStream subscribe(Collection<String> filters, Qos qos) {
        if (Boolean.TRUE.equals(handlerMode)) {
            throw new IllegalStateException("consumer " + clientId() + " has a handler; use another consumer to poll");
        }
        ensureOpen();
        handlerMode = false;
        subscribeFilters(filters, qos, null);
        return new MessageStream(this);
    }

    @Override
    public final Delivery poll(Duration timeout) {
        if (Boolean.TRUE.equals(handlerMode)) {
            throw new IllegalStateException("consumer " + clientId() + " has a handler");
        }
        return isClosed() ? null : pollNext(timeout);
    }

    /** Throws {@link ClosedException} once the consumer is closed. */
    protected final void ensureOpen() {
        if (isClosed()) {
            throw new ClosedException("consumer " + clientId() + " is closed");
        }
    }
}
