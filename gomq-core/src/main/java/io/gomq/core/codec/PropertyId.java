package io.gomq.core.codec;

import static io.gomq.core.codec.PacketType.AUTH;
import static io.gomq.core.codec.PacketType.CONNACK;
import static io.gomq.core.codec.PacketType.CONNECT;
import static io.gomq.core.codec.PacketType.DISCONNECT;
import static io.gomq.core.codec.PacketType.PUBACK;
import static io.gomq.core.codec.PacketType.PUBCOMP;
import static io.gomq.core.codec.PacketType.PUBLISH;
import static io.gomq.core.codec.PacketType.PUBREC;
import static io.gomq.core.codec.PacketType.PUBREL;
import static io.gomq.core.codec.PacketType.SUBACK;
import static io.gomq.core.codec.PacketType.SUBSCRIBE;
import static io.gomq.core.codec.PacketType.UNSUBACK;
import static io.gomq.core.codec.PacketType.UNSUBSCRIBE;

/**
 * The 27 MQTT 5 property identifiers (section 2.2.2.2) with their wire type and where each may
 * appear: a set of packet types, plus "will" for the will properties of a CONNECT.
 */
public enum PropertyId {
    PAYLOAD_FORMAT_INDICATOR(0x01, Type.BYTE, true, PUBLISH),
    MESSAGE_EXPIRY_INTERVAL(0x02, Type.FOUR_BYTE_INTEGER, true, PUBLISH),
    CONTENT_TYPE(0x03, Type.UTF8_STRING, true, PUBLISH),
    RESPONSE_TOPIC(0x08, Type.UTF8_STRING, true, PUBLISH),
    CORRELATION_DATA(0x09, Type.BINARY, true, PUBLISH),
    SUBSCRIPTION_IDENTIFIER(0x0B, Type.VARIABLE_BYTE_INTEGER, false, PUBLISH, SUBSCRIBE),
    SESSION_EXPIRY_INTERVAL(0x11, Type.FOUR_BYTE_INTEGER, false, CONNECT, CONNACK, DISCONNECT),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, Type.UTF8_STRING, false, CONNACK),
    SERVER_KEEP_ALIVE(0x13, Type.TWO_BYTE_INTEGER, false, CONNACK),
    AUTHENTICATION_METHOD(0x15, Type.UTF8_STRING, false, CONNECT, CONNACK, AUTH),
    AUTHENTICATION_DATA(0x16, Type.BINARY, false, CONNECT, CONNACK, AUTH),
    REQUEST_PROBLEM_INFORMATION(0x17, Type.BYTE, false, CONNECT),
    WILL_DELAY_INTERVAL(0x18, Type.FOUR_BYTE_INTEGER, true),
    REQUEST_RESPONSE_INFORMATION(0x19, Type.BYTE, false, CONNECT),
    RESPONSE_INFORMATION(0x1A, Type.UTF8_STRING, false, CONNACK),
    SERVER_REFERENCE(0x1C, Type.UTF8_STRING, false, CONNACK, DISCONNECT),
    REASON_STRING(0x1F, Type.UTF8_STRING, false,
            CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH),
    RECEIVE_MAXIMUM(0x21, Type.TWO_BYTE_INTEGER, false, CONNECT, CONNACK),
    TOPIC_ALIAS_MAXIMUM(0x22, Type.TWO_BYTE_INTEGER, false, CONNECT, CONNACK),
    TOPIC_ALIAS(0x23, Type.TWO_BYTE_INTEGER, false, PUBLISH),
    MAXIMUM_QOS(0x24, Type.BYTE, false, CONNACK),
    RETAIN_AVAILABLE(0x25, Type.BYTE, false, CONNACK),
    USER_PROPERTY(0x26, Type.UTF8_STRING_PAIR, true, CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP,
            SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH),
    MAXIMUM_PACKET_SIZE(0x27, Type.FOUR_BYTE_INTEGER, false, CONNECT, CONNACK),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, Type.BYTE, false, CONNACK),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, Type.BYTE, false, CONNACK),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, Type.BYTE, false, CONNACK);

    /** The data types of section 1.5 that properties use. */
    public enum Type {
        BYTE, TWO_BYTE_INTEGER, FOUR_BYTE_INTEGER, VARIABLE_BYTE_INTEGER, UTF8_STRING, UTF8_STRING_PAIR, BINARY
    }

    /** Bit 0 of {@link #targets} stands for the will: packet type 0 is reserved, so no packet uses it. */
    private static final int WILL_BIT = 1;
    private static final PropertyId[] BY_ID = new PropertyId[0x2B];

    static {
        for (PropertyId p : values()) {
            BY_ID[p.id] = p;
        }
    }

    private final int id;
    private final Type type;
    private final int targets;

    PropertyId(int id, Type type, boolean inWill, PacketType... packets) {
        this.id = id;
        this.type = type;
        int t = inWill ? WILL_BIT : 0;
        for (PacketType p : packets) {
            t |= 1 << p.value();
        }
        this.targets = t;
    }

    /** The identifier on the wire (one byte in MQTT 5.0). */
    public int id() {
        return id;
    }

    public Type type() {
        return type;
    }

    /** Whether this property may appear in the properties of a {@code packet}. */
    public boolean allowedOn(PacketType packet) {
        return (targets & 1 << packet.value()) != 0;
    }

    /** Whether this property may appear in the will properties of a CONNECT. */
    public boolean allowedInWill() {
        return (targets & WILL_BIT) != 0;
    }

    /** Whether a property block may hold this property more than once (User Property; Subscription Identifier only in a PUBLISH to a client). */
    public boolean mayRepeat() {
        return this == USER_PROPERTY;
    }

    /** The property for a wire identifier, or null if MQTT 5.0 defines none. */
    public static PropertyId ofId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
