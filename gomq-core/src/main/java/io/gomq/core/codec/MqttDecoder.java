package io.gomq.core.codec;

import java.nio.ByteBuffer;

/**
 * Streaming, strict MQTT 3.1.1 decoder: bytes in, one {@link MqttPacket} per call out.
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
 * <p>The remaining-length varint is accepted in non-minimal form (e.g. 0x80 0x00 for 0):
 * MQTT 3.1.1 does not forbid it; only a fifth byte is malformed.
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
        if (maxPacketBytes < 2) {
            throw new IllegalArgumentException("maxPacketBytes must be at least 2, was " + maxPacketBytes);
        }
        if (role == null) {
            throw new IllegalArgumentException("role must not be null");
        }
        this.maxPacketBytes = maxPacketBytes;
        this.role = role;
    }

    /** A client-side decoder (for tests, tools and the benchmark clients). */
    public static MqttDecoder forClient(int maxPacketBytes) {
        return new MqttDecoder(maxPacketBytes, Role.CLIENT);
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

        checkFixedLength(type, remainingLength);
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
            packet = BodyReaders.read(reader, flags);
        } finally {
            reader.reset(null, 0, 0, null); // hold no reference to the caller's buffer between calls
        }
        in.position(end);
        return new DecodeResult.Decoded(packet);
    }

    /** Fixed-size packets fail on their header, so a PINGREQ can't make us wait for a megabyte. */
    private static void checkFixedLength(PacketType type, int remainingLength) {
        int expected = type.fixedRemainingLength();
        if (expected >= 0 && remainingLength != expected) {
            throw new MalformedPacketException(remainingLength > expected ? DecodeError.TRAILING_BYTES : DecodeError.TRUNCATED_FIELD,
                    type + " remaining length must be " + expected + ", was " + remainingLength);
        }
    }

    /** Checks what the first byte alone can tell: type, direction, flags. */
    private PacketType checkFirstByte(int typeValue, int flags) {
        PacketType type = PacketType.ofValue(typeValue);
        if (type == null) {
            throw new MalformedPacketException(DecodeError.RESERVED_PACKET_TYPE, "packet type " + typeValue + " is reserved");
        }
        if (role == Role.SERVER ? !type.sentByClient() : !type.sentByServer()) {
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
