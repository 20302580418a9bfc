package io.gomq.core.codec;

import io.gomq.core.topic.InvalidTopicException;
import io.gomq.core.topic.Topics;

import java.nio.ByteBuffer;

/**
 * A cursor over one packet's variable header and payload, read with absolute indexes so the
 * caller's buffer position is untouched until the whole packet is accepted. Every read checks
 * the packet's end (not the buffer's), so a field that overruns the remaining length is
 * {@link DecodeError#TRUNCATED_FIELD} even when the next packet's bytes are already there.
 * One instance per decoder, reset for each packet.
 */
final class PacketReader {
    private ByteBuffer buf;
    private int pos;
    private int end;
    private PacketType type;
    /** What a read past {@link #end} is: the packet's end, or (inside a property block) the block's. */
    private DecodeError overrun = DecodeError.TRUNCATED_FIELD;
    /** Longest topic name kept for {@link #lastTopicAgain}: bounds what a connection holds. */
    private static final int MAX_REMEMBERED_TOPIC_BYTES = 256;
    private byte[] lastTopicBytes;
    private String lastTopic;

    void reset(ByteBuffer buf, int from, int end, PacketType type) {
        this.buf = buf;
        this.pos = from;
        this.end = end;
        this.type = type;
        this.overrun = DecodeError.TRUNCATED_FIELD;
    }

    /**
     * Narrows the readable range to the next {@code length} bytes (an MQTT 5 property block) and
     * returns the end to restore with {@link #endBlock}. A block longer than the rest of the
     * packet, and any read past the block, is {@link DecodeError#PROPERTY_LENGTH_OVERRUN}.
     */
    int beginBlock(int length, String what) {
        if (length > end - pos) {
            throw fail(DecodeError.PROPERTY_LENGTH_OVERRUN, type + " " + what + " length " + length + " runs past the packet ("
                    + (end - pos) + " byte(s) left)");
        }
        int outer = end;
        end = pos + length;
        overrun = DecodeError.PROPERTY_LENGTH_OVERRUN;
        return outer;
    }

    void endBlock(int outerEnd) {
        end = outerEnd;
        overrun = DecodeError.TRUNCATED_FIELD;
    }

    PacketType type() {
        return type;
    }

    int remaining() {
        return end - pos;
    }

    boolean hasRemaining() {
        return pos < end;
    }

    int readUnsignedByte(String field) {
        need(1, field);
        return buf.get(pos++) & 0xFF;
    }

    int readUnsignedShort(String field) {
        need(2, field);
        int v = ((buf.get(pos) & 0xFF) << 8) | (buf.get(pos + 1) & 0xFF);
        pos += 2;
        return v;
    }

    /** A four-byte big-endian unsigned integer (1.5.3). */
    long readFourByteInt(String field) {
        need(4, field);
        long v = buf.getInt(pos) & 0xFFFF_FFFFL;
        pos += 4;
        return v;
    }

    /** An MQTT 5 variable byte integer (1.5.5): at most 4 bytes, and the shortest form (MQTT-1.5.5-1). */
    int readVarint(String field) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int b = readUnsignedByte(field);
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (i + 1 > Wire.varintSize(value)) {
                    throw fail(DecodeError.MALFORMED_VARIABLE_BYTE_INTEGER, type + " " + field + " " + value + " uses "
                            + (i + 1) + " bytes, not its shortest form (MQTT-1.5.5-1)");
                }
                return value;
            }
        }
        throw fail(DecodeError.MALFORMED_VARIABLE_BYTE_INTEGER, type + " " + field + " uses more than 4 bytes");
    }

    /** A packet identifier, which must not be 0. */
    int readPacketId() {
        int id = readUnsignedShort("packet identifier");
        if (id == 0) {
            throw fail(DecodeError.ZERO_PACKET_ID, type + " packet identifier must not be 0");
        }
        return id;
    }

    /** A length-prefixed UTF-8 string (1.5.3), strictly validated. */
    String readString(String field) {
        int len = readLength(field);
        need(len, field);
        String s = Utf8.decode(buf, pos, len);
        pos += len;
        return s;
    }

    /** A two-byte length prefix; the field's name for the error is spelled out only when the packet ends before it. */
    private int readLength(String field) {
        return readUnsignedShort(end - pos < 2 ? field + " length" : field);
    }

    /** A length-prefixed string that must be a valid topic name: no wildcard, not empty. */
    String readTopicName(String field) {
        String topic = lastTopicAgain();
        if (topic != null) {
            return topic;
        }
        int from = pos + 2; // past the length
        return remember(validTopicName(readString(field), DecodeError.INVALID_TOPIC_NAME, field), from);
    }

    /** Like {@link #readTopicName} but an empty name passes (MQTT 5 PUBLISH with a Topic Alias). */
    String readTopicNameOrEmpty(String field) {
        String topic = lastTopicAgain();
        if (topic != null) {
            return topic;
        }
        int from = pos + 2; // past the length
        topic = readString(field);
        return topic.isEmpty() ? topic : remember(validTopicName(topic, DecodeError.INVALID_TOPIC_NAME, field), from);
    }

    /**
     * The last topic name read, if the next one has the same bytes: a publisher mostly repeats its
     * topic, and decoding it again was a fifth of the broker's allocation per QoS 0 message.
     * Consumes the name only on a hit.
     */
    private String lastTopicAgain() {
        byte[] last = lastTopicBytes;
        if (last == null || end - pos < 2 + last.length || (((buf.get(pos) & 0xFF) << 8) | (buf.get(pos + 1) & 0xFF)) != last.length) {
            return null;
        }
        int from = pos + 2;
        for (int i = 0; i < last.length; i++) {
            if (buf.get(from + i) != last[i]) {
                return null;
            }
        }
        pos = from + last.length;
        return lastTopic;
    }

    /** Remembers a valid topic name just read (its bytes from {@code from} to {@link #pos}), if short enough to keep. */
    private String remember(String topic, int from) {
        int len = pos - from;
        if (len > 0 && len <= MAX_REMEMBERED_TOPIC_BYTES) {
            byte[] bytes = new byte[len];
            buf.get(from, bytes);
            lastTopicBytes = bytes;
            lastTopic = topic;
        }
        return topic;
    }

    /** {@code topic} if it is a valid topic name, else a failure with {@code error}. */
    String validTopicName(String topic, DecodeError error, String field) {
        try {
            return Topics.validateName(topic);
        } catch (InvalidTopicException e) {
            throw fail(error, type + " " + field + ": " + e.getMessage());
        }
    }

    /** Length-prefixed binary data (1.5.x, will message and password). */
    byte[] readBinary(String field) {
        int len = readLength(field);
        return readBytes(len, field);
    }

    /** Everything up to the end of the packet (the PUBLISH payload). */
    byte[] readRest() {
        return readBytes(end - pos, "payload");
    }

    private byte[] readBytes(int len, String field) {
        need(len, field);
        byte[] bytes = new byte[len];
        buf.get(pos, bytes);
        pos += len;
        return bytes;
    }

    /** Fails unless every byte of the remaining length was consumed. */
    void expectEnd() {
        if (pos != end) {
            throw fail(DecodeError.TRAILING_BYTES, type + " has " + (end - pos) + " unexpected trailing byte(s)");
        }
    }

    private void need(int n, String field) {
        if (end - pos < n) {
            throw fail(overrun, type + " " + field + " needs " + n + " byte(s), " + (end - pos) + " left in the "
                    + (overrun == DecodeError.TRUNCATED_FIELD ? "packet" : "property block"));
        }
    }

    MalformedPacketException fail(DecodeError error, String detail) {
        return new MalformedPacketException(error, detail);
    }
}
