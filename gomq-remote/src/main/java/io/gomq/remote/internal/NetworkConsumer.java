package io.gomq.remote.internal;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5SubscribeBuilder;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.Mqtt5Unsubscribe;
import io.gomq.client.ClosedException;
import io.gomq.client.ConsumerOptions;
import io.gomq.client.Delivery;
import io.gomq.client.MessageHandler;
import io.gomq.client.NotAuthorizedException;
import io.gomq.client.NotConnectedException;
import io.gomq.client.Qos;
import io.gomq.client.spi.ConsumerBase;
import io.gomq.remote.RemoteClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link io.gomq.client.Consumer} on an MQTT 5 connection of its own (one session). Deliveries are acknowledged
 * manually: the broker has at most {@code receiveMaximum} QoS&gt;=1 messages unacknowledged with
 * this consumer, so the buffer between the connection and the handler (or {@link #poll}) is
 * bounded: {@code receiveMaximum} + {@code qos0Buffer}; QoS 0 beyond its share is dropped (and counted).
 *
 * <p>Thread rules: the connection's thread only offers to the buffer; handlers run on the
 * client's handler threads, one run per consumer at a time.
 */
final class NetworkConsumer extends ConsumerBase {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkConsumer.class);
    private static final int BATCH = 64;
    private static final long REQUEST_TIMEOUT_MS = 10_000;

    private final String clientId;
    private final boolean autoAck;
    private final long sessionExpirySeconds;
    private final int qos0Buffer;
    private final ArrayBlockingQueue<NetworkDelivery> buffer;
    private final AtomicInteger qos0Buffered = new AtomicInteger();
    private final AtomicLong qos0Dropped = new AtomicLong();
    private final AtomicLong handlerErrors = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Executor handlers;
    private final Runnable onClose;
    private final Mqtt5AsyncClient mqtt;
    private volatile MessageHandler handler;
    private volatile boolean closed;

    NetworkConsumer(MqttConnections connections, RemoteClientConfig config, ConsumerOptions options, Executor handlers,
                    Runnable onClose) {
        this.clientId = options.clientId() != null ? options.clientId() : "gomq-remote-" + UUID.randomUUID();
        this.autoAck = options.autoAck();
        this.sessionExpirySeconds = options.sessionExpirySeconds();
        this.qos0Buffer = config.qos0Buffer();
        this.buffer = new ArrayBlockingQueue<>(config.receiveMaximum() + config.qos0Buffer());
        this.handlers = handlers;
        this.onClose = onClose;
        this.mqtt = connections.connect(new MqttConnections.Session(clientId, options.cleanSession(), sessionExpirySeconds,
                config.receiveMaximum()), c -> c.publishes(MqttGlobalPublishFilter.ALL, this::onPublish, true)).client();
    }

    /** On the connection's thread: never blocks. */
    private void onPublish(Mqtt5Publish publish) {
        NetworkDelivery d = new NetworkDelivery(publish);
        if (publish.getQos() == MqttQos.AT_MOST_ONCE) {
            if (qos0Buffered.get() >= qos0Buffer) {
                qos0Dropped.incrementAndGet();
                d.ack();
                return;
            }
            qos0Buffered.incrementAndGet();
        }
        if (!buffer.offer(d)) { // cannot happen while the broker keeps to our Receive Maximum
            LOG.warn("consumer {}: buffer full, {} left unacknowledged (the broker sends it again)", clientId, d);
            return;
        }
        if (handler != null) {
            schedule();
        }
    }

    private NetworkDelivery take(NetworkDelivery d) {
        if (d != null && d.qos() == Qos.AT_MOST_ONCE) {
            qos0Buffered.decrementAndGet();
            d.ack();
        }
        return d;
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            handlers.execute(this::drain);
        }
    }

    private void drain() {
        MessageHandler h = handler;
        for (int i = 0; i < BATCH && !closed; i++) {
            NetworkDelivery d = take(buffer.poll());
            if (d == null) {
                break;
            }
            try {
                h.onMessage(d);
            } catch (Exception | AssertionError e) {
                handlerErrors.incrementAndGet();
                LOG.error("consumer {} handler failed on {}", clientId, d, e);
            }
            if (autoAck) {
                d.ack();
            }
        }
        scheduled.set(false);
        if (!buffer.isEmpty() && !closed) {
            schedule(); // yield the thread to other consumers between batches
        }
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    protected List<Qos> subscribeFilters(Collection<String> filters, Qos qos, MessageHandler h) {
        if (h == null) {
            return doSubscribe(filters, qos);
        }
        handler = h;
        List<Qos> granted = doSubscribe(filters, qos);
        schedule(); // what a resumed session delivered before the handler was set
        return granted;
    }

    private List<Qos> doSubscribe(Collection<String> filters, Qos qos) {
        List<String> list = new ArrayList<>(filters);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no topic filter to subscribe to");
        }
        Mqtt5SubscribeBuilder.Start start = Mqtt5Subscribe.builder();
        Mqtt5SubscribeBuilder.Complete b = null;
        try {
            for (String f : list) {
                b = (b == null ? start : b).addSubscription().topicFilter(f).qos(MqttMessages.toMqtt(qos)).applySubscription();
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid topic filter: " + e.getMessage(), e);
        }
        Mqtt5SubAck ack = await(mqtt.subscribe(b.build()).exceptionallyCompose(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            return cause instanceof Mqtt5SubAckException refused // the HiveMQ client fails a SUBACK with an error code: read the codes
                    ? java.util.concurrent.CompletableFuture.completedFuture(refused.getMqttMessage())
                    : java.util.concurrent.CompletableFuture.failedFuture(cause);
        }), "subscribe to " + list);
        List<Qos> granted = new ArrayList<>(list.size());
        for (int i = 0; i < ack.getReasonCodes().size(); i++) {
            Mqtt5SubAckReasonCode code = ack.getReasonCodes().get(i);
            if (code.isError()) {
                String why = "subscription to " + list.get(i) + " refused: " + code;
                throw code == Mqtt5SubAckReasonCode.NOT_AUTHORIZED ? new NotAuthorizedException(why) : new IllegalArgumentException(why);
            }
            granted.add(Qos.of(code.getCode()));
        }
        return granted;
    }

    @Override
    public void unsubscribe(Collection<String> filters) {
        ensureOpen();
        var b = Mqtt5Unsubscribe.builder();
        com.hivemq.client.mqtt.mqtt5.message.unsubscribe.Mqtt5UnsubscribeBuilder.Complete c = null;
        for (String f : filters) {
            c = c == null ? b.addTopicFilter(f) : c.addTopicFilter(f);
        }
        if (c != null) {
            await(mqtt.unsubscribe(c.build()), "unsubscribe from " + filters);
        }
    }

    @Override
    protected Delivery pollNext(Duration timeout) {
        try {
            NetworkDelivery d = take(buffer.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
            if (d != null && autoAck) {
                d.ack(); // poll acknowledges on hand-over, as in-process
            }
            return d;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public long handlerErrors() {
        return handlerErrors.get();
    }

    /** {@return QoS 0 deliveries dropped because the consumer did not keep up} */
    long qos0Dropped() {
        return qos0Dropped.get();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            mqtt.disconnectWith().sessionExpiryInterval(sessionExpirySeconds).send().get(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("consumer {}: disconnect did not complete cleanly: {}", clientId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            onClose.run();
        }
    }

    private <T> T await(java.util.concurrent.CompletableFuture<T> f, String what) {
        try {
            return f.get(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw closed ? new ClosedException("consumer " + clientId + " is closed", e.getCause())
                    : new NotConnectedException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new NotConnectedException(what + ": no answer within " + REQUEST_TIMEOUT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        }
    }
}
