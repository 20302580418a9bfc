package io.gomq.core.codec;

import io.gomq.core.message.MessageProperties;
import io.gomq.core.message.Qos;

import java.util.Arrays;
import java.util.Objects;

/**
 * CONNECT (section 3.1). Owns {@code password} and the will's payload (see {@link MqttPacket}).
 *
 * <p>Which CONNECT problems are whose: the decoder fails (and the connection is closed without
 * a CONNACK) on anything malformed: reserved flag bit set, will QoS/retain without the will
 * flag, will QoS 3, password without username, an invalid will topic, bad UTF-8, truncated or
 * trailing bytes, and in MQTT 5 any property problem (see {@link PropertyId}). MQTT 5 allows a
 * password without a user name. The session layer answers with a CONNACK code, then closes, for what is
 * well-formed but unacceptable:
 * <ul>
 *   <li>{@link #isSupportedProtocol()} false (protocol name not "MQTT" or level neither 4 nor
 *       5): CONNACK 1 (MQTT 3.1.1 form). Such a packet is decoded only up to the protocol level,
 *       because the rest follows another specification; only {@code protocolName} and
 *       {@code protocolLevel} are meaningful, the other fields hold defaults. A transport that
 *       speaks only 3.1.1 answers the same to {@link #isMqtt5()}.</li>
 *   <li>an empty client id with clean session 0, or a client id the broker refuses: CONNACK 2.</li>
 *   <li>credentials and authorization: CONNACK 4 or 5.</li>
 * </ul>
 */
public record Connect(String protocolName, int protocolLevel, boolean cleanSession, int keepAliveSeconds,
                      String clientId, Will will, String username, byte[] password, PacketProperties properties)
        implements MqttPacket {

    public static final String PROTOCOL_NAME = "MQTT";
    public static final int PROTOCOL_LEVEL_311 = 4;
    public static final int PROTOCOL_LEVEL_5 = 5;

    /**
     * {@code cleanSession} is MQTT 5's Clean Start (the same bit). {@code properties} is
     * {@link PacketProperties#NONE} below level 5; the encoder writes this record at its own
     * {@code protocolLevel}.
     */
    public Connect {
        Objects.requireNonNull(protocolName, "protocolName");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(properties, "properties");
        if (protocolLevel < 0 || protocolLevel > 255) {
            throw new IllegalArgumentException("protocol level must fit one byte, was " + protocolLevel);
        }
        if (keepAliveSeconds < 0 || keepAliveSeconds > 0xFFFF) {
            throw new IllegalArgumentException("keep-alive must be 0..65535 s, was " + keepAliveSeconds);
        }
        if (password != null && username == null && protocolLevel != PROTOCOL_LEVEL_5) {
            throw new IllegalArgumentException("MQTT 3.1.1 allows a password only with a username");
        }
        if (protocolLevel != PROTOCOL_LEVEL_5 && (!properties.isEmpty() || (will != null && will.hasMqtt5Fields()))) {
            throw new IllegalArgumentException("only an MQTT 5 CONNECT has properties");
        }
    }

    /** The MQTT 3.1.1 form, without properties. */
    public Connect(String protocolName, int protocolLevel, boolean cleanSession, int keepAliveSeconds,
                   String clientId, Will will, String username, byte[] password) {
        this(protocolName, protocolLevel, cleanSession, keepAliveSeconds, clientId, will, username, password,
                PacketProperties.NONE);
    }

    /** An MQTT 5 CONNECT. */
    public static Connect mqtt5(boolean cleanStart, int keepAliveSeconds, String clientId, Will will, String username,
                                byte[] password, PacketProperties properties) {
        return new Connect(PROTOCOL_NAME, PROTOCOL_LEVEL_5, cleanStart, keepAliveSeconds, clientId, will, username,
                password, properties);
    }

    /** An MQTT 3.1.1 CONNECT without will or credentials. */
    public static Connect of(String clientId, boolean cleanSession, int keepAliveSeconds) {
        return new Connect(PROTOCOL_NAME, PROTOCOL_LEVEL_311, cleanSession, keepAliveSeconds, clientId, null, null, null);
    }

    /** Whether this CONNECT speaks MQTT 3.1.1; if not, answer CONNACK 1 and close. */
    public boolean isMqtt311() {
        return protocolLevel == PROTOCOL_LEVEL_311 && PROTOCOL_NAME.equals(protocolName);
    }

    /** Whether this CONNECT speaks MQTT 5.0; then it was decoded in full, properties included. */
    public boolean isMqtt5() {
        return protocolLevel == PROTOCOL_LEVEL_5 && PROTOCOL_NAME.equals(protocolName);
    }

    /** Whether this CONNECT speaks a protocol the codec supports (3.1.1 or 5.0); if not, answer CONNACK 1 and close. */
    public boolean isSupportedProtocol() {
        return isMqtt311() || isMqtt5();
    }

    @Override
    public PacketType type() {
        return PacketType.CONNECT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Connect c && protocolLevel == c.protocolLevel && cleanSession == c.cleanSession
                && keepAliveSeconds == c.keepAliveSeconds && protocolName.equals(c.protocolName)
                && clientId.equals(c.clientId) && Objects.equals(will, c.will)
                && Objects.equals(username, c.username) && Arrays.equals(password, c.password)
                && properties.equals(c.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocolName, protocolLevel, cleanSession, keepAliveSeconds, clientId, will, username, properties)
                * 31 + Arrays.hashCode(password);
    }

    @Override
    public String toString() {
        return "Connect{" + protocolName + '/' + protocolLevel + ", clientId='" + clientId + "', clean=" + cleanSession
                + ", keepAlive=" + keepAliveSeconds + ", will=" + will + ", username=" + username
                + ", password=" + (password == null ? "none" : "<" + password.length + " bytes>")
                + (properties.isEmpty() ? "" : ", properties=" + properties) + '}';
    }

    /**
     * The last-will message. Owns {@code payload}. MQTT 5 adds the message properties the will is
     * published with and the Will Delay Interval (0 when absent: publish at once).
     */
    public record Will(String topic, byte[] payload, Qos qos, boolean retain, MessageProperties properties,
                       long willDelaySeconds) {
        public Will {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(qos, "qos");
            Objects.requireNonNull(properties, "properties");
            if (willDelaySeconds < 0 || willDelaySeconds > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("will delay must be 0..4294967295 s, was " + willDelaySeconds);
            }
        }

        /** The MQTT 3.1.1 form. */
        public Will(String topic, byte[] payload, Qos qos, boolean retain) {
            this(topic, payload, qos, retain, MessageProperties.NONE, 0);
        }

        boolean hasMqtt5Fields() {
            return !properties.isEmpty() || willDelaySeconds != 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Will w && retain == w.retain && qos == w.qos && topic.equals(w.topic)
                    && Arrays.equals(payload, w.payload) && willDelaySeconds == w.willDelaySeconds
                    && properties.equals(w.properties);
        }

        @Override
        public int hashCode() {
            return Objects.hash(topic, qos, retain, properties, willDelaySeconds) * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Will{topic='" + topic + "', qos=" + qos.value() + ", retain=" + retain + ", bytes=" + payload.length
                    + (willDelaySeconds == 0 ? "" : ", delay=" + willDelaySeconds + "s")
                    + (properties.isEmpty() ? "" : ", properties=" + properties) + '}';
        }
    }
}
