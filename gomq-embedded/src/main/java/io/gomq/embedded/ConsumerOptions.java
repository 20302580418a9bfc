package io.gomq.embedded;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/** How an in-process consumer connects: its client id, session kind and acknowledgement mode. */
public final class ConsumerOptions {
    private static final AtomicLong ANONYMOUS = new AtomicLong();

    private String clientId;
    private boolean cleanSession = true;
    private boolean autoAck = true;

    public static ConsumerOptions defaults() {
        return new ConsumerOptions();
    }

    /** The session's client id; default a unique "gomq-embedded-N". A persistent session needs a stable one. */
    public ConsumerOptions clientId(String id) { this.clientId = Objects.requireNonNull(id, "clientId"); return this; }
    /** false keeps subscriptions and queued QoS>=1 messages while the consumer is closed. */
    public ConsumerOptions cleanSession(boolean clean) { this.cleanSession = clean; return this; }
    /** true (default) acknowledges a delivery when the handler returns; false needs {@link Delivery#ack()}. */
    public ConsumerOptions autoAck(boolean auto) { this.autoAck = auto; return this; }

    String clientId() { return clientId != null ? clientId : "gomq-embedded-" + ANONYMOUS.incrementAndGet(); }
    boolean cleanSession() { return cleanSession; }
    boolean autoAck() { return autoAck; }
}
