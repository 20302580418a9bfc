package io.gomq.core.codec;

import static io.gomq.core.codec.ReasonCode.MALFORMED_PACKET;
import static io.gomq.core.codec.ReasonCode.PROTOCOL_ERROR;

/**
 * Why a packet is malformed. Each value is a violation after which the connection must be
 * closed (without CONNACK for a CONNECT; an MQTT 5 server first sends DISCONNECT with
 * {@link #disconnectReason()}). The set is small and stable so the transport can keep one
 * counter per value.
 *
 * <p>The reason codes follow the specification's own classification (MQTT 5 sections 1.2 and
 * 4.13): what cannot be parsed is 0x81 Malformed Packet, what parses but breaks a rule is 0x82
 * Protocol Error, and a few have a code of their own. Where the text names none, the choice is
 * noted on the value.
 */
public enum DecodeError {
    /** Packet type 0, or 15 (AUTH) on an MQTT 3.1.1 connection (section 2.2.1). */
    RESERVED_PACKET_TYPE(MALFORMED_PACKET),
    /** A valid type the other side never sends, e.g. CONNACK from a client (or CONNECT to a client). */
    UNEXPECTED_PACKET_TYPE(PROTOCOL_ERROR),
    /** Fixed-header flags other than 0b0010 for PUBREL/SUBSCRIBE/UNSUBSCRIBE or 0 for the others (2.2.2). */
    INVALID_FIXED_HEADER_FLAGS(MALFORMED_PACKET),
    /** PUBLISH with DUP set and QoS 0 (MQTT-3.3.1-2). */
    INVALID_DUP_FLAG(MALFORMED_PACKET),
    /**
     * QoS 3 in PUBLISH, in the CONNECT will, or a requested QoS above 2 in SUBSCRIBE. MQTT 5 calls
     * the first two malformed and the SUBSCRIBE case a protocol error; one counter, 0x81.
     */
    INVALID_QOS(MALFORMED_PACKET),
    /** Remaining-length varint longer than 4 bytes (2.2.3), or at MQTT 5 not in its shortest form (MQTT-1.5.5-1). */
    MALFORMED_REMAINING_LENGTH(MALFORMED_PACKET),
    /** Fixed header plus remaining length exceeds the decoder's limit; detected before the body. */
    PACKET_TOO_LARGE(ReasonCode.PACKET_TOO_LARGE),
    /** A field, or its length prefix, runs past the end of the packet. */
    TRUNCATED_FIELD(MALFORMED_PACKET),
    /** Bytes left over after the last field of the packet. */
    TRAILING_BYTES(MALFORMED_PACKET),
    /** A string that is not well-formed UTF-8, encodes a surrogate, or contains U+0000 (1.5.3). */
    MALFORMED_UTF8(MALFORMED_PACKET),
    /** A PUBLISH or will topic name that is empty (3.1.1) or holds a wildcard (4.7). */
    INVALID_TOPIC_NAME(ReasonCode.TOPIC_NAME_INVALID),
    /** Packet identifier 0 where one is required (2.3.1). */
    ZERO_PACKET_ID(PROTOCOL_ERROR),
    /** SUBSCRIBE or UNSUBSCRIBE without topic filters, SUBACK or UNSUBACK (MQTT 5) without reason codes. */
    EMPTY_TOPIC_LIST(PROTOCOL_ERROR),
    /**
     * A reserved bit set: CONNECT flag bit 0, SUBSCRIBE requested-QoS bits 7-2 (MQTT 5: options
     * bits 7-6), CONNACK flag bits 7-1.
     */
    RESERVED_BITS_SET(MALFORMED_PACKET),
    /** CONNECT with will QoS or will retain set but the will flag clear (MQTT-3.1.2-13, -15; MQTT 5: -11, -13). */
    INVALID_WILL_FLAGS(MALFORMED_PACKET),
    /** MQTT 3.1.1 CONNECT with the password flag but not the username flag (MQTT-3.1.2-22); MQTT 5 allows it. */
    PASSWORD_WITHOUT_USERNAME(MALFORMED_PACKET),
    /** CONNACK or SUBACK return code that MQTT 3.1.1 does not define, or CONNACK session present with a refusal. */
    INVALID_RETURN_CODE(MALFORMED_PACKET),

    // MQTT 5 only

    /** An MQTT 5 reason code not valid on its packet (2.4), or CONNACK session present with a failure code. */
    INVALID_REASON_CODE(MALFORMED_PACKET),
    /** A property length, property identifier or Subscription Identifier longer than 4 bytes or not in its shortest form (1.5.5). */
    MALFORMED_VARIABLE_BYTE_INTEGER(MALFORMED_PACKET),
    /** A property length running past the packet (or the will properties past the CONNECT), or a property value past its block. */
    PROPERTY_LENGTH_OVERRUN(MALFORMED_PACKET),
    /** A property identifier that is unknown or not valid on this packet (2.2.2.2: malformed), incl. a Subscription Identifier from a client in PUBLISH. */
    PROPERTY_NOT_ALLOWED(MALFORMED_PACKET),
    /** A property other than User Property given twice (Subscription Identifier may repeat in a PUBLISH to a client). */
    DUPLICATE_PROPERTY(PROTOCOL_ERROR),
    /**
     * A property value out of range: a 0/1 flag with another value, Receive Maximum or Maximum
     * Packet Size 0, Subscription Identifier 0, a Response Topic that is no valid topic name.
     */
    INVALID_PROPERTY_VALUE(PROTOCOL_ERROR),
    /** Topic Alias 0 (MQTT-3.3.2-8); a value above the connection's maximum is the transport's check. */
    TOPIC_ALIAS_INVALID(ReasonCode.TOPIC_ALIAS_INVALID),
    /** An empty PUBLISH topic name without a Topic Alias (3.3.2.1). */
    EMPTY_TOPIC_WITHOUT_ALIAS(PROTOCOL_ERROR),
    /** Authentication Data without an Authentication Method (3.1.2.11.10). */
    AUTHENTICATION_DATA_WITHOUT_METHOD(PROTOCOL_ERROR),
    /** SUBSCRIBE option Retain Handling 3 (3.8.3.1). */
    INVALID_RETAIN_HANDLING(PROTOCOL_ERROR);

    private final ReasonCode disconnectReason;

    DecodeError(ReasonCode disconnectReason) {
        this.disconnectReason = disconnectReason;
    }

    /** The reason code an MQTT 5 server sends in its DISCONNECT before closing (always valid on DISCONNECT). */
    public ReasonCode disconnectReason() {
        return disconnectReason;
    }
}
