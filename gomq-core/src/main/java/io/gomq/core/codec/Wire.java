package io.gomq.core.codec;

import java.nio.ByteBuffer;

/**
 * The MQTT data types on the way out (section 1.5), shared by the encoders. The field writers
 * take a nullable {@code out}: null only counts, so a body is measured and written by the same
 * code and its size can't drift from its bytes. Each returns the bytes it wrote (or would write).
 */
final class Wire {
    private Wire() {
    }

    static int u8(ByteBuffer out, int v) {
        if (out != null) {
            out.put((byte) v);
        }
        return 1;
    }

    static int u16(ByteBuffer out, int v) {
        if (out != null) {
            out.putShort((short) v);
        }
        return 2;
    }

    static int u32(ByteBuffer out, long v) {
        if (out != null) {
            out.putInt((int) v);
        }
        return 4;
    }

    /** A variable byte integer (1.5.5). */
    static int varint(ByteBuffer out, int value) {
        if (out != null) {
            int v = value;
            do {
                int digit = v & 0x7F;
                v >>>= 7;
                out.put((byte) (v > 0 ? digit | 0x80 : digit));
            } while (v > 0);
        }
        return varintSize(value);
    }

    /** A length-prefixed UTF-8 string. */
    static int string(ByteBuffer out, String s) {
        int n = stringLength(s);
        if (out != null) {
            out.putShort((short) n);
            Utf8.write(out, s);
        }
        return 2 + n;
    }

    /** Length-prefixed binary data. */
    static int binary(ByteBuffer out, byte[] bytes) {
        int n = binaryLength(bytes);
        if (out != null) {
            out.putShort((short) n);
            out.put(bytes);
        }
        return 2 + n;
    }

    static void writeFixedHeader(ByteBuffer out, PacketType type, int flags, int remaining) {
        out.put((byte) (type.value() << 4 | flags));
        varint(out, remaining);
    }

    static void writeString(ByteBuffer out, String s) {
        string(out, s);
    }

    static void writeBinary(ByteBuffer out, byte[] bytes) {
        binary(out, bytes);
    }

    static int stringLength(String s) {
        int n = Utf8.encodedLength(s);
        if (n > 0xFFFF) {
            throw new IllegalArgumentException("MQTT strings hold at most 65535 UTF-8 bytes, this one has " + n);
        }
        return n;
    }

    static int binaryLength(byte[] bytes) {
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("MQTT binary fields hold at most 65535 bytes, this one has " + bytes.length);
        }
        return bytes.length;
    }

    static int checkRemaining(long remaining) {
        if (remaining > MqttDecoder.MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("packet body of " + remaining + " bytes exceeds MQTT's 268435455");
        }
        return (int) remaining;
    }

    static int packetSize(int remaining) {
        return 1 + varintSize(remaining) + remaining;
    }

    static int varintSize(int value) {
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }
}
