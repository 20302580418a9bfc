package io.gomq.core.codec;

import java.nio.ByteBuffer;

/**
 * Streaming, strict MQTT 3.1.1 and MQTT 5.0 decoder: bytes in, one {@link MqttPacket} per call out.
 *
 * <p>Protocol level: a decoder starts at level 4 (3.1.1). On the {@link Role#SERVER} side, the
 * first CONNECT it decodes with protocol "MQTT" level 5 is read as MQTT 5 and switches the
 * decoder to level 5 for every later packet; see {@link #protocolLevel()}. A client-side decoder
 * is told its level ({@link #forClient(int, int)}).
 *
 * <p>Threading: one instance per connection, used by that connection's reader only; not
 * thread-safe (it keeps a reusable cursor and its BAD state).
 *
 * <p>Contract of {@link #decode(ByteBuffer)}: it reads from {@code in.position()}.
 * <ul>
 *   <li>Not a whole packet yet: returns {@link DecodeResult#NEED_MORE} and consumes nothing;
 *       call again with the same bytes plus more.</li>
 *   <li>A whole, valid packet: returns it and advances the position by exactly its size, so
 *       call in a loop until NEED_MORE to drain a buffer holding several packets.</li>
 *   <li>A malformed packet: returns a {@link DecodeResult.Failure} and the decoder becomes BAD
 *       for good: this and every later call discards all readable bytes (position = limit) and
 *       returns the same failure. The caller closes the connection. No exception escapes.</li>
 * </ul>
 * Violations are detected as early as the bytes allow: type, flags and the direction check
 * on the first byte; the size limit, and the exact length of fixed-size packets, as soon as
 * the remaining length is known, so an oversize body is never buffered.
 *
 * <p>At level 4 the remaining-length varint is accepted in non-minimal form (e.g. 0x80 0x00
 * for 0): MQTT 3.1.1 does not forbid it; only a fifth byte is malformed. MQTT 5 requires the
 * shortest form (MQTT-1.5.5-1), so at level 5 a longer remaining length, property length or
 * Subscription Identifier is malformed too.
 */
public final class MqttDecoder {
    /** The largest remaining length the 4-byte varint can express (section 2.2.3). */
    public static final int MAX_REMAINING_LENGTH = 268_435_455;
    /** Bytes a PUBLISH may need beyond its payload: fixed header, longest topic, packet id. */
    public static final int MAX_PUBLISH_OVERHEAD_BYTES = 5 + 2 + 65_535 + 2;

    /** Which end of the connection this decoder runs on; decides which packet types are expected. */
    public enum Role {
        /** Runs in the broker: accepts what clients send, rejects CONNACK, SUBACK, UNSUBACK, PINGRESP. */
        SERVER,
        /** Runs in a client: accepts what servers send, rejects CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT. */
        CLIENT
    }

    private final int maxPacketBytes;
    private final Role role;
    private final PacketReader reader = new PacketReader();
    private int protocolLevel;
    private DecodeResult.Failure failure;

    /**
     * A decoder for the broker side.
     *
     * @param maxPacketBytes the largest whole packet accepted, fixed header included; larger ones
     *                       fail with {@link DecodeError#PACKET_TOO_LARGE}
     */
    public MqttDecoder(int maxPacketBytes) {
        this(maxPacketBytes, Role.SERVER);
    }

    public MqttDecoder(int maxPacketBytes, Role role) {
        this(maxPacketBytes, role, Connect.PROTOCOL_LEVEL_311);
    }

    /**
     * A decoder starting at {@code protocolLevel} (4 for MQTT 3.1.1, 5 for MQTT 5.0).
     *
     * @param maxPacketBytes see {@link #MqttDecoder(int)}
     */
    public MqttDecoder(int maxPacketBytes, Role role, int protocolLevel) {
        if (protocolLevel != Connect.PROTOCOL_LEVEL_311 && protocolLevel != Connect.PROTOCOL_LEVEL_5) {
            throw new IllegalArgumentException("protocol level must be 4 (MQTT 3.1.1) or 5 (MQTT 5.0), was " + protocolLevel);
        }
        this.protocolLevel = protocolLevel;
        if (maxPacketBytes < 2) {
            throw new IllegalArgumentException("maxPacketBytes must be at least 2, was " + maxPacketBytes);
        }
        if (role == null) {
            throw new IllegalArgumentException("role must not be null");
        }
        this.maxPacketBytes = maxPacketBytes;
        this.role = role;
    }

    /** A client-side MQTT 3.1.1 decoder (for tests, tools and the benchmark clients). */
    public static MqttDecoder forClient(int maxPacketBytes) {
        return new MqttDecoder(maxPacketBytes, Role.CLIENT);
    }

    /** A client-side decoder for the protocol level the client's CONNECT asked for (4 or 5). */
    public static MqttDecoder forClient(int maxPacketBytes, int protocolLevel) {
        return new MqttDecoder(maxPacketBytes, Role.CLIENT, protocolLevel);
    }

    /**
     * The packet limit that lets a PUBLISH carry {@code maxPayloadBytes} whatever its topic; the
     * session still checks the payload itself when it must be exact.
     */
    public static int packetLimitForPayload(int maxPayloadBytes) {
        long limit = (long) maxPayloadBytes + MAX_PUBLISH_OVERHEAD_BYTES;
        return (int) Math.min(limit, 5L + MAX_REMAINING_LENGTH);
    }

    public int maxPacketBytes() {
        return maxPacketBytes;
    }

    public Role role() {
        return role;
    }

    /**
     * The level packets are decoded at: 4 (MQTT 3.1.1) or 5 (MQTT 5.0). A server-side decoder
     * reports 5 from the MQTT 5 CONNECT on, so the transport reads it after the CONNECT to pick
     * the level it encodes at.
     */
    public int protocolLevel() {
        return protocolLevel;
    }

    /** Whether a malformed packet was seen; then every call returns the same failure. */
    public boolean isBad() {
        return failure != null;
    }

    /** Decodes at most one packet from {@code in}; see the class comment for the contract. */
    public DecodeResult decode(ByteBuffer in) {
        if (failure == null) {
            try {
                return decodeOne(in);
            } catch (MalformedPacketException e) {
                failure = new DecodeResult.Failure(e.error(), e.getMessage());
            }
        }
        in.position(in.limit()); // BAD: discard input until the connection is closed
        return failure;
    }

    private DecodeResult decodeOne(ByteBuffer in) {
        int start = in.position();
        int available = in.remaining();
        if (available < 1) {
            return DecodeResult.NEED_MORE;
        }
        int first = in.get(start) & 0xFF;
        int flags = first & 0x0F;
        PacketType type = checkFirstByte(first >>> 4, flags);

        int remainingLength = 0;
        int headerBytes = 1;
        int b;
        do {
            if (headerBytes == 5) {
                throw new MalformedPacketException(DecodeError.MALFORMED_REMAINING_LENGTH,
                        type + " remaining length uses more than 4 bytes");
            }
            if (available <= headerBytes) {
                return DecodeResult.NEED_MORE;
            }
            b = in.get(start + headerBytes) & 0xFF;
            remainingLength |= (b & 0x7F) << (7 * (headerBytes - 1));
            headerBytes++;
        } while ((b & 0x80) != 0);

        if (protocolLevel == Connect.PROTOCOL_LEVEL_5 && headerBytes - 1 > Wire.varintSize(remainingLength)) {
            throw new MalformedPacketException(DecodeError.MALFORMED_REMAINING_LENGTH, type + " remaining length "
                    + remainingLength + " is not in its shortest form (MQTT-1.5.5-1)");
        }
        checkFixedLength(type, remainingLength, protocolLevel);
        long packetBytes = (long) headerBytes + remainingLength;
        if (packetBytes > maxPacketBytes) {
            throw new MalformedPacketException(DecodeError.PACKET_TOO_LARGE, type + " of " + packetBytes
                    + " bytes exceeds the limit of " + maxPacketBytes);
        }
        if (available < packetBytes) {
            return DecodeResult.NEED_MORE;
        }
        int end = start + (int) packetBytes;
        reader.reset(in, start + headerBytes, end, type);
        MqttPacket packet;
        try {
            packet = protocolLevel == Connect.PROTOCOL_LEVEL_5 ? Mqtt5BodyReaders.read(reader, flags, role == Role.CLIENT)
                    : BodyReaders.read(reader, flags);
        } finally {
            reader.reset(null, 0, 0, null); // hold no reference to the caller's buffer between calls
        }
        if (role == Role.SERVER && packet instanceof Connect c && c.isMqtt5()) {
            protocolLevel = Connect.PROTOCOL_LEVEL_5;
        }
        in.position(end);
        return new DecodeResult.Decoded(packet);
    }

    /** Fixed-size packets fail on their header, so a PINGREQ can't make us wait for a megabyte. */
    private static void checkFixedLength(PacketType type, int remainingLength, int level) {
        int expected = type.fixedRemainingLength(level);
        if (expected >= 0 && remainingLength != expected) {
            throw new MalformedPacketException(remainingLength > expected ? DecodeError.TRAILING_BYTES : DecodeError.TRUNCATED_FIELD,
                    type + " remaining length must be " + expected + ", was " + remainingLength);
        }
    }

    /** Checks what the first byte alone can tell: type, direction, flags. */
    private PacketType checkFirstByte(int typeValue, int flags) {
        PacketType type = PacketType.ofValue(typeValue);
        if (type == null || !type.existsAt(protocolLevel)) {
            throw new MalformedPacketException(DecodeError.RESERVED_PACKET_TYPE, "packet type " + typeValue + " is reserved"
                    + (type == null ? "" : " in MQTT 3.1.1"));
        }
        if (role == Role.SERVER ? !type.sentByClient() : !type.sentByServer(protocolLevel)) {
            throw new MalformedPacketException(DecodeError.UNEXPECTED_PACKET_TYPE,
                    type + " is not expected by a " + role.name().toLowerCase() + " (wrong direction)");
        }
        if (type == PacketType.PUBLISH) {
            int qos = (flags >> 1) & 0x03;
            if (qos == 3) {
                throw new MalformedPacketException(DecodeError.INVALID_QOS, "PUBLISH QoS must not be 3 (MQTT-3.3.1-4)");
            }
            if (qos == 0 && (flags & 0x08) != 0) {
                throw new MalformedPacketException(DecodeError.INVALID_DUP_FLAG, "PUBLISH DUP must be 0 for QoS 0 (MQTT-3.3.1-2)");
            }
        } else if (flags != type.requiredFlags()) {
            throw new MalformedPacketException(DecodeError.INVALID_FIXED_HEADER_FLAGS, type + " fixed-header flags must be 0b"
                    + Integer.toBinaryString(type.requiredFlags()) + ", were 0b" + Integer.toBinaryString(flags));
        }
        return type;
    }
}
