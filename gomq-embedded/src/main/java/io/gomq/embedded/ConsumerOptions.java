package io.gomq.embedded;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/** How an in-process consumer connects: its client id, session kind and acknowledgement mode. */
public final class ConsumerOptions {
    private static final AtomicLong ANONYMOUS = new AtomicLong();

    private String clientId;
    private boolean cleanSession = true;
    private boolean autoAck = true;
    private Long sessionExpirySeconds;
    private String user;
    private boolean hasPrincipal;

    /**
     * A unique client id, a clean session, automatic acknowledgement.
     *
     * @return new options
     */
    public static ConsumerOptions defaults() {
        return new ConsumerOptions();
    }

    /**
     * The session's client id; default a unique "gomq-embedded-N". A persistent session needs a stable one.
     *
     * @param id the client id
     * @return these options
     */
    public ConsumerOptions clientId(String id) { this.clientId = Objects.requireNonNull(id, "clientId"); return this; }
    /**
     * Whether the session ends with the consumer.
     *
     * @param clean false keeps subscriptions and queued QoS&gt;=1 messages while the consumer is closed
     * @return these options
     */
    public ConsumerOptions cleanSession(boolean clean) { this.cleanSession = clean; return this; }
    /**
     * How long a persistent session outlives this consumer (MQTT 5 Session Expiry Interval):
     * its subscriptions and queued QoS>=1 messages are kept that long after {@code close()},
     * then dropped. Default for a persistent session: kept until a clean consumer takes the id.
     * Implies {@code cleanSession(false)}; {@code Duration.ZERO} ends the session with the consumer.
     *
     * @param d the expiry, 0 .. 4294967295 s
     * @return these options
     */
    public ConsumerOptions sessionExpiry(java.time.Duration d) {
        long s = d.toSeconds();
        if (s < 0 || s > io.gomq.core.session.Session.NEVER_EXPIRES) {
            throw new IllegalArgumentException("session expiry must be 0 .. 4294967295 s, was " + d);
        }
        this.sessionExpirySeconds = s;
        this.cleanSession = false;
        return this;
    }

    /**
     * Acts for {@code user} (null: an anonymous client): the broker's topic rules
     * ({@link GoMqBroker#topicAuthorizer}) then apply as to a network client with that user name
     * and this consumer's client id. Without it the consumer is trusted in-process code.
     *
     * @param user the user name the rules apply to, or null for an anonymous client
     * @return these options
     */
    public ConsumerOptions principal(String user) { this.user = user; this.hasPrincipal = true; return this; }

    /**
     * How deliveries are acknowledged.
     *
     * @param auto true (default) acknowledges a delivery when the handler returns; false needs {@link Delivery#ack()}
     * @return these options
     */
    public ConsumerOptions autoAck(boolean auto) { this.autoAck = auto; return this; }

    String clientId() { return clientId != null ? clientId : "gomq-embedded-" + ANONYMOUS.incrementAndGet(); }
    boolean cleanSession() { return cleanSession; }
    long sessionExpirySeconds() {
        if (cleanSession) {
            return 0;
        }
        return sessionExpirySeconds != null ? sessionExpirySeconds : io.gomq.core.session.Session.NEVER_EXPIRES;
    }
    boolean autoAck() { return autoAck; }
    boolean hasPrincipal() { return hasPrincipal; }
    String user() { return user; }
}
