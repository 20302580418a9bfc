package io.gomq.core.codec;

/**
 * Why a packet is malformed. Each value is a violation after which MQTT 3.1.1 requires the
 * connection to be closed (without CONNACK for a CONNECT). The set is small and stable so the
 * transport can keep one counter per value.
 */
public enum DecodeError {
    /** Packet type 0 or 15 (section 2.2.1). */
    RESERVED_PACKET_TYPE,
    /** A valid type the other side never sends, e.g. CONNACK from a client (or CONNECT to a client). */
    UNEXPECTED_PACKET_TYPE,
    /** Fixed-header flags other than 0b0010 for PUBREL/SUBSCRIBE/UNSUBSCRIBE or 0 for the others (2.2.2). */
    INVALID_FIXED_HEADER_FLAGS,
    /** PUBLISH with DUP set and QoS 0 (MQTT-3.3.1-2). */
    INVALID_DUP_FLAG,
    /** QoS 3 in PUBLISH, in the CONNECT will, or a requested QoS above 2 in SUBSCRIBE. */
    INVALID_QOS,
    /** Remaining-length varint longer than 4 bytes (2.2.3). */
    MALFORMED_REMAINING_LENGTH,
    /** Fixed header plus remaining length exceeds the decoder's limit; detected before the body. */
    PACKET_TOO_LARGE,
    /** A field, or its length prefix, runs past the end of the packet. */
    TRUNCATED_FIELD,
    /** Bytes left over after the last field of the packet. */
    TRAILING_BYTES,
    /** A string that is not well-formed UTF-8, encodes a surrogate, or contains U+0000 (1.5.3). */
    MALFORMED_UTF8,
    /** A PUBLISH or will topic name that is empty or holds a wildcard (4.7). */
    INVALID_TOPIC_NAME,
    /** Packet identifier 0 where one is required (2.3.1). */
    ZERO_PACKET_ID,
    /** SUBSCRIBE or UNSUBSCRIBE without topic filters, SUBACK without return codes. */
    EMPTY_TOPIC_LIST,
    /** A reserved bit set: CONNECT flag bit 0, SUBSCRIBE requested-QoS bits 7-2, CONNACK flag bits 7-1. */
    RESERVED_BITS_SET,
    /** CONNECT with will QoS or will retain set but the will flag clear (MQTT-3.1.2-13, -15). */
    INVALID_WILL_FLAGS,
    /** CONNECT with the password flag but not the username flag (MQTT-3.1.2-22). */
    PASSWORD_WITHOUT_USERNAME,
    /** CONNACK or SUBACK return code that MQTT 3.1.1 does not define, or CONNACK session present with a refusal. */
    INVALID_RETURN_CODE
}
