package io.gomq.core.codec;

import java.util.EnumSet;
import java.util.Set;

import static io.gomq.core.codec.PacketType.AUTH;
import static io.gomq.core.codec.PacketType.CONNACK;
import static io.gomq.core.codec.PacketType.DISCONNECT;
import static io.gomq.core.codec.PacketType.PUBACK;
import static io.gomq.core.codec.PacketType.PUBCOMP;
import static io.gomq.core.codec.PacketType.PUBREC;
import static io.gomq.core.codec.PacketType.PUBREL;
import static io.gomq.core.codec.PacketType.SUBACK;
import static io.gomq.core.codec.PacketType.UNSUBACK;

/**
 * The MQTT 5 reason codes (section 2.4) and the packets each is valid on. One value can have
 * several meanings: 0x00 is Success, Normal disconnection (DISCONNECT) or Granted QoS 0 (SUBACK),
 * so there is one constant per meaning and {@link #of(int, PacketType)} looks a value up for a
 * given packet. A value of 0x80 or more is a failure.
 */
public enum ReasonCode {
    SUCCESS(0x00, "Success", CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK, AUTH),
    NORMAL_DISCONNECTION(0x00, "Normal disconnection", DISCONNECT),
    GRANTED_QOS_0(0x00, "Granted QoS 0", SUBACK),
    GRANTED_QOS_1(0x01, "Granted QoS 1", SUBACK),
    GRANTED_QOS_2(0x02, "Granted QoS 2", SUBACK),
    DISCONNECT_WITH_WILL_MESSAGE(0x04, "Disconnect with Will Message", DISCONNECT),
    NO_MATCHING_SUBSCRIBERS(0x10, "No matching subscribers", PUBACK, PUBREC),
    NO_SUBSCRIPTION_EXISTED(0x11, "No subscription existed", UNSUBACK),
    CONTINUE_AUTHENTICATION(0x18, "Continue authentication", AUTH),
    RE_AUTHENTICATE(0x19, "Re-authenticate", AUTH),
    UNSPECIFIED_ERROR(0x80, "Unspecified error", CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
    MALFORMED_PACKET(0x81, "Malformed Packet", CONNACK, DISCONNECT),
    PROTOCOL_ERROR(0x82, "Protocol Error", CONNACK, DISCONNECT),
    IMPLEMENTATION_SPECIFIC_ERROR(0x83, "Implementation specific error", CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
    UNSUPPORTED_PROTOCOL_VERSION(0x84, "Unsupported Protocol Version", CONNACK),
    CLIENT_IDENTIFIER_NOT_VALID(0x85, "Client Identifier not valid", CONNACK),
    BAD_USER_NAME_OR_PASSWORD(0x86, "Bad User Name or Password", CONNACK),
    NOT_AUTHORIZED(0x87, "Not authorized", CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
    SERVER_UNAVAILABLE(0x88, "Server unavailable", CONNACK),
    SERVER_BUSY(0x89, "Server busy", CONNACK, DISCONNECT),
    BANNED(0x8A, "Banned", CONNACK),
    SERVER_SHUTTING_DOWN(0x8B, "Server shutting down", DISCONNECT),
    BAD_AUTHENTICATION_METHOD(0x8C, "Bad authentication method", CONNACK, DISCONNECT),
    KEEP_ALIVE_TIMEOUT(0x8D, "Keep Alive timeout", DISCONNECT),
    SESSION_TAKEN_OVER(0x8E, "Session taken over", DISCONNECT),
    TOPIC_FILTER_INVALID(0x8F, "Topic Filter invalid", SUBACK, UNSUBACK, DISCONNECT),
    TOPIC_NAME_INVALID(0x90, "Topic Name invalid", CONNACK, PUBACK, PUBREC, DISCONNECT),
    PACKET_IDENTIFIER_IN_USE(0x91, "Packet Identifier in use", PUBACK, PUBREC, SUBACK, UNSUBACK),
    PACKET_IDENTIFIER_NOT_FOUND(0x92, "Packet Identifier not found", PUBREL, PUBCOMP),
    RECEIVE_MAXIMUM_EXCEEDED(0x93, "Receive Maximum exceeded", DISCONNECT),
    TOPIC_ALIAS_INVALID(0x94, "Topic Alias invalid", DISCONNECT),
    PACKET_TOO_LARGE(0x95, "Packet too large", CONNACK, DISCONNECT),
    MESSAGE_RATE_TOO_HIGH(0x96, "Message rate too high", DISCONNECT),
    QUOTA_EXCEEDED(0x97, "Quota exceeded", CONNACK, PUBACK, PUBREC, SUBACK, DISCONNECT),
    ADMINISTRATIVE_ACTION(0x98, "Administrative action", DISCONNECT),
    PAYLOAD_FORMAT_INVALID(0x99, "Payload format invalid", CONNACK, PUBACK, PUBREC, DISCONNECT),
    RETAIN_NOT_SUPPORTED(0x9A, "Retain not supported", CONNACK, DISCONNECT),
    QOS_NOT_SUPPORTED(0x9B, "QoS not supported", CONNACK, DISCONNECT),
    USE_ANOTHER_SERVER(0x9C, "Use another server", CONNACK, DISCONNECT),
    SERVER_MOVED(0x9D, "Server moved", CONNACK, DISCONNECT),
    SHARED_SUBSCRIPTIONS_NOT_SUPPORTED(0x9E, "Shared Subscriptions not supported", SUBACK, DISCONNECT),
    CONNECTION_RATE_EXCEEDED(0x9F, "Connection rate exceeded", CONNACK, DISCONNECT),
    MAXIMUM_CONNECT_TIME(0xA0, "Maximum connect time", DISCONNECT),
    SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED(0xA1, "Subscription Identifiers not supported", SUBACK, DISCONNECT),
    WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED(0xA2, "Wildcard Subscriptions not supported", SUBACK, DISCONNECT);

    /** [packet type value][reason value]: the code, or null where it is not valid. */
    private static final ReasonCode[][] BY_PACKET = new ReasonCode[16][];

    static {
        for (ReasonCode c : values()) {
            for (PacketType p : c.packets) {
                ReasonCode[] table = BY_PACKET[p.value()];
                if (table == null) {
                    table = BY_PACKET[p.value()] = new ReasonCode[256];
                }
                table[c.value] = c;
            }
        }
    }

    private final int value;
    private final String readableName;
    private final Set<PacketType> packets;

    ReasonCode(int value, String readableName, PacketType first, PacketType... rest) {
        this.value = value;
        this.readableName = readableName;
        this.packets = EnumSet.of(first, rest);
    }

    /** The byte on the wire. */
    public int value() {
        return value;
    }

    /** The name the specification gives it, e.g. "Packet Identifier in use". */
    public String readableName() {
        return readableName;
    }

    /** The packets this code may be sent on. */
    public Set<PacketType> packets() {
        return EnumSet.copyOf(packets);
    }

    public boolean isValidOn(PacketType packet) {
        return packets.contains(packet);
    }

    /** Whether this code reports a failure (0x80 and above). */
    public boolean isError() {
        return value >= 0x80;
    }

    /** The code {@code value} means on {@code packet}, or null when it is not valid there. */
    public static ReasonCode of(int value, PacketType packet) {
        ReasonCode[] table = BY_PACKET[packet.value()];
        return table == null || value < 0 || value > 0xFF ? null : table[value];
    }

    /** Like {@link #of} but throws IllegalArgumentException; for record constructors. */
    static ReasonCode require(int value, PacketType packet) {
        ReasonCode c = of(value, packet);
        if (c == null) {
            throw new IllegalArgumentException("reason code 0x" + Integer.toHexString(value) + " is not valid on " + packet);
        }
        return c;
    }

    @Override
    public String toString() {
        return String.format("0x%02X %s", value, readableName);
    }
}
