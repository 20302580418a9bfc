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

    void reset(ByteBuffer buf, int from, int end, PacketType type) {
        this.buf = buf;
        this.pos = from;
        this.end = end;
        this.type = type;
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
        int len = readUnsignedShort(field + " length");
        need(len, field);
        String s = Utf8.decode(buf, pos, len);
        pos += len;
        return s;
    }

    /** A length-prefixed string that must be a valid topic name: no wildcard, not empty. */
    String readTopicName(String field) {
        String topic = readString(field);
        try {
            return Topics.validateName(topic);
        } catch (InvalidTopicException e) {
            throw fail(DecodeError.INVALID_TOPIC_NAME, type + " " + field + ": " + e.getMessage());
        }
    }

    /** Length-prefixed binary data (1.5.x, will message and password). */
    byte[] readBinary(String field) {
        int len = readUnsignedShort(field + " length");
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
            throw fail(DecodeError.TRUNCATED_FIELD, type + " " + field + " needs " + n + " byte(s), "
                    + (end - pos) + " left in the packet");
        }
    }

    MalformedPacketException fail(DecodeError error, String detail) {
        return new MalformedPacketException(error, detail);
    }
}
