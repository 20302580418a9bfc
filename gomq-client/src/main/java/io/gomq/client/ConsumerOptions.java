package io.gomq.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a consumer connects: its client id, session kind and acknowledgement mode. Immutable: each
 * method returns new options, so one value can be shared and derived from.
 *
 * <pre>{@code
 * ConsumerOptions orders = ConsumerOptions.defaults().clientId("orders").cleanSession(false).autoAck(false);
 * }</pre>
 */
public final class ConsumerOptions {
    /** The Session Expiry Interval of a session that never expires (MQTT 5: 0xFFFFFFFF). */
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;
    private static final ConsumerOptions DEFAULTS = new ConsumerOptions(null, true, true, -1, null, false);

    private final String clientId;
    private final boolean cleanSession;
    private final boolean autoAck;
    private final long sessionExpirySeconds;
    private final String user;
    private final boolean hasPrincipal;

    private ConsumerOptions(String clientId, boolean cleanSession, boolean autoAck, long sessionExpirySeconds,
                            String user, boolean hasPrincipal) {
        this.clientId = clientId;
        this.cleanSession = cleanSession;
        this.autoAck = autoAck;
        this.sessionExpirySeconds = sessionExpirySeconds;
        this.user = user;
        this.hasPrincipal = hasPrincipal;
    }

    /** {@return a unique client id, a clean session, automatic acknowledgement} */
    public static ConsumerOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The session's client id; default a unique one. A persistent session needs a stable one.
     *
     * @param id the client id
     * @return options with this id
     */
    public ConsumerOptions clientId(String id) {
        return new ConsumerOptions(Objects.requireNonNull(id, "clientId"), cleanSession, autoAck, sessionExpirySeconds, user, hasPrincipal);
    }

    /**
     * Whether the session ends with the consumer.
     *
     * @param clean false keeps subscriptions and queued QoS&gt;=1 messages while the consumer is closed
     * @return options with this session kind
     */
    public ConsumerOptions cleanSession(boolean clean) {
        return new ConsumerOptions(clientId, clean, autoAck, clean ? -1 : sessionExpirySeconds, user, hasPrincipal);
    }

    /**
     * How long a persistent session outlives this consumer (MQTT 5 Session Expiry Interval):
     * its subscriptions and queued QoS&gt;=1 messages are kept that long after {@code close()},
     * then dropped. Default for a persistent session: kept until a clean consumer takes the id.
     * Implies {@code cleanSession(false)}; {@code Duration.ZERO} ends the session with the consumer.
     *
     * @param expiry the expiry, 0 .. 4294967295 s
     * @return options with this expiry
     */
    public ConsumerOptions sessionExpiry(Duration expiry) {
        long s = expiry.toSeconds();
        if (s < 0 || s > NEVER_EXPIRES) {
            throw new IllegalArgumentException("session expiry must be 0 .. 4294967295 s, was " + expiry);
        }
        return new ConsumerOptions(clientId, false, autoAck, s, user, hasPrincipal);
    }

    /**
     * In-process only: acts for {@code user} (null: an anonymous client), so the broker's topic
     * rules apply as to a network client with that user name. Without it an in-process consumer
     * is trusted code. A remote consumer always acts for the user it logged in as.
     *
     * @param user the user name the rules apply to, or null for an anonymous client
     * @return options with this principal
     */
    public ConsumerOptions principal(String user) {
        return new ConsumerOptions(clientId, cleanSession, autoAck, sessionExpirySeconds, user, true);
    }

    /**
     * How deliveries are acknowledged.
     *
     * @param auto true (default) acknowledges a delivery when the handler returns or poll hands
     *             it out; false needs {@link Delivery#ack()}
     * @return options with this mode
     */
    public ConsumerOptions autoAck(boolean auto) {
        return new ConsumerOptions(clientId, cleanSession, auto, sessionExpirySeconds, user, hasPrincipal);
    }

    /** {@return the client id given, or null for a unique one chosen at connect} */
    public String clientId() { return clientId; }
    /** {@return whether the session ends with the consumer} */
    public boolean cleanSession() { return cleanSession; }
    /** {@return whether deliveries are acknowledged automatically} */
    public boolean autoAck() { return autoAck; }
    /** {@return the session expiry in seconds: 0 for a clean session, {@link #NEVER_EXPIRES} unless set} */
    public long sessionExpirySeconds() {
        if (cleanSession) {
            return 0;
        }
        return sessionExpirySeconds >= 0 ? sessionExpirySeconds : NEVER_EXPIRES;
    }
    /** {@return whether {@link #principal(String)} was given} */
    public boolean hasPrincipal() { return hasPrincipal; }
    /** {@return the principal's user name, or null} */
    public String user() { return user; }

    @Override
    public String toString() {
        return "ConsumerOptions{clientId=" + clientId + ", cleanSession=" + cleanSession + ", autoAck=" + autoAck
                + ", sessionExpirySeconds=" + sessionExpirySeconds() + (hasPrincipal ? ", user=" + user : "") + '}';
    }
}
