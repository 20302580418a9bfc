package io.gomq.core.codec;

import io.gomq.core.message.Qos;

import java.util.Arrays;
import java.util.Objects;

/**
 * CONNECT (section 3.1). Owns {@code password} and the will's payload (see {@link MqttPacket}).
 *
 * <p>Which CONNECT problems are whose: the decoder fails (and the connection is closed without
 * a CONNACK) on anything malformed: reserved flag bit set, will QoS/retain without the will
 * flag, will QoS 3, password without username, an invalid will topic, bad UTF-8, truncated or
 * trailing bytes. The session layer answers with a CONNACK code, then closes, for what is
 * well-formed but unacceptable:
 * <ul>
 *   <li>{@link #isMqtt311()} false (protocol name not "MQTT" or level not 4): CONNACK 1. Such a
 *       packet is decoded only up to the protocol level, because the rest follows another
 *       specification (MQTT 5 adds properties); only {@code protocolName} and
 *       {@code protocolLevel} are meaningful, the other fields hold defaults.</li>
 *   <li>an empty client id with clean session 0, or a client id the broker refuses: CONNACK 2.</li>
 *   <li>credentials and authorization: CONNACK 4 or 5.</li>
 * </ul>
 */
public record Connect(String protocolName, int protocolLevel, boolean cleanSession, int keepAliveSeconds,
                      String clientId, Will will, String username, byte[] password) implements MqttPacket {

    public static final String PROTOCOL_NAME = "MQTT";
    public static final int PROTOCOL_LEVEL_311 = 4;

    public Connect {
        Objects.requireNonNull(protocolName, "protocolName");
        Objects.requireNonNull(clientId, "clientId");
        if (protocolLevel < 0 || protocolLevel > 255) {
            throw new IllegalArgumentException("protocol level must fit one byte, was " + protocolLevel);
        }
        if (keepAliveSeconds < 0 || keepAliveSeconds > 0xFFFF) {
            throw new IllegalArgumentException("keep-alive must be 0..65535 s, was " + keepAliveSeconds);
        }
        if (password != null && username == null) {
            throw new IllegalArgumentException("MQTT 3.1.1 allows a password only with a username");
        }
    }

    /** An MQTT 3.1.1 CONNECT without will or credentials. */
    public static Connect of(String clientId, boolean cleanSession, int keepAliveSeconds) {
        return new Connect(PROTOCOL_NAME, PROTOCOL_LEVEL_311, cleanSession, keepAliveSeconds, clientId, null, null, null);
    }

    /** Whether this CONNECT speaks MQTT 3.1.1; if not, answer CONNACK 1 and close. */
    public boolean isMqtt311() {
        return protocolLevel == PROTOCOL_LEVEL_311 && PROTOCOL_NAME.equals(protocolName);
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
                && Objects.equals(username, c.username) && Arrays.equals(password, c.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocolName, protocolLevel, cleanSession, keepAliveSeconds, clientId, will, username)
                * 31 + Arrays.hashCode(password);
    }

    @Override
    public String toString() {
        return "Connect{" + protocolName + '/' + protocolLevel + ", clientId='" + clientId + "', clean=" + cleanSession
                + ", keepAlive=" + keepAliveSeconds + ", will=" + will + ", username=" + username
                + ", password=" + (password == null ? "none" : "<" + password.length + " bytes>") + '}';
    }

    /** The last-will message. Owns {@code payload}. */
    public record Will(String topic, byte[] payload, Qos qos, boolean retain) {
        public Will {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(qos, "qos");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Will w && retain == w.retain && qos == w.qos && topic.equals(w.topic)
                    && Arrays.equals(payload, w.payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(topic, qos, retain) * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Will{topic='" + topic + "', qos=" + qos.value() + ", retain=" + retain + ", bytes=" + payload.length + '}';
        }
    }
}
