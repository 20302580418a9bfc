package io.gomq.core.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 for MQTT strings (section 1.5.3), without CharsetDecoder/Encoder objects.
 *
 * <p>Design note: hand-written rather than {@code new String(bytes, UTF_8)} because that call
 * replaces malformed input with U+FFFD instead of rejecting it, and because the encoder must
 * write topics straight into the output buffer with no temporary byte[] (ASCII topics, the
 * common case, cost one pass and no allocation).
 */
final class Utf8 {
    private Utf8() {
    }

    /**
     * Decodes {@code length} bytes of {@code buf} from absolute index {@code from}. Rejects
     * malformed and overlong sequences, encoded surrogates (U+D800..U+DFFF), code points above
     * U+10FFFF and U+0000.
     */
    static String decode(ByteBuffer buf, int from, int length) {
        if (length == 0) {
            return "";
        }
        byte[] bytes;
        int off;
        if (buf.hasArray()) {
            bytes = buf.array();
            off = buf.arrayOffset() + from;
        } else {
            bytes = new byte[length];
            buf.get(from, bytes);
            off = 0;
        }
        int end = off + length;
        int i = off;
        while (i < end && bytes[i] > 0) {
            i++;
        }
        if (i == end) {
            return new String(bytes, off, length, StandardCharsets.ISO_8859_1); // all ASCII 1..127
        }
        return decodeMultiByte(bytes, off, end, i);
    }

    private static String decodeMultiByte(byte[] b, int off, int end, int firstNonAscii) {
        char[] chars = new char[end - off];
        int n = 0;
        for (int k = off; k < firstNonAscii; k++) {
            chars[n++] = (char) b[k];
        }
        int i = firstNonAscii;
        while (i < end) {
            int b0 = b[i] & 0xFF;
            if (b0 >= 0x01 && b0 < 0x80) {
                chars[n++] = (char) b0;
                i++;
            } else if (b0 >= 0xC2 && b0 <= 0xDF) {
                int b1 = continuation(b, i + 1, end, 0x80, 0xBF);
                chars[n++] = (char) (((b0 & 0x1F) << 6) | (b1 & 0x3F));
                i += 2;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                int lo = b0 == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
                int hi = b0 == 0xED ? 0x9F : 0xBF; // ED A0..BF would encode a surrogate
                int b1 = continuation(b, i + 1, end, lo, hi);
                int b2 = continuation(b, i + 2, end, 0x80, 0xBF);
                chars[n++] = (char) (((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F));
                i += 3;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                int lo = b0 == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
                int hi = b0 == 0xF4 ? 0x8F : 0xBF; // F4 90.. would exceed U+10FFFF
                int b1 = continuation(b, i + 1, end, lo, hi);
                int b2 = continuation(b, i + 2, end, 0x80, 0xBF);
                int b3 = continuation(b, i + 3, end, 0x80, 0xBF);
                int cp = ((b0 & 0x07) << 18) | ((b1 & 0x3F) << 12) | ((b2 & 0x3F) << 6) | (b3 & 0x3F);
                chars[n++] = Character.highSurrogate(cp);
                chars[n++] = Character.lowSurrogate(cp);
                i += 4;
            } else {
                throw malformed(b0 == 0 ? "U+0000 is not allowed in an MQTT string"
                        : "invalid UTF-8 lead byte 0x" + Integer.toHexString(b0));
            }
        }
        return new String(chars, 0, n);
    }

    private static int continuation(byte[] b, int i, int end, int lo, int hi) {
        if (i >= end) {
            throw malformed("UTF-8 sequence cut short by the end of the string");
        }
        int v = b[i] & 0xFF;
        if (v < lo || v > hi) {
            throw malformed("invalid UTF-8 continuation byte 0x" + Integer.toHexString(v));
        }
        return v;
    }

    private static MalformedPacketException malformed(String detail) {
        return new MalformedPacketException(DecodeError.MALFORMED_UTF8, detail);
    }

    /** The UTF-8 length of {@code s}; throws IllegalArgumentException on a lone surrogate or U+0000. */
    static int encodedLength(String s) {
        int len = s.length();
        int bytes = len;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for 2 chars
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw new IllegalArgumentException("lone surrogate at index " + i + " cannot be encoded as UTF-8");
                } else {
                    bytes += 2;
                }
            } else if (c == 0) {
                throw new IllegalArgumentException("U+0000 is not allowed in an MQTT string (index " + i + ")");
            }
        }
        return bytes;
    }

    /** Writes {@code s} as UTF-8 (no length prefix); {@code s} was checked by {@link #encodedLength}. */
    static void write(ByteBuffer out, String s) {
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.put((byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xC0 | (c >> 6)));
                out.put((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.put((byte) (0xF0 | (cp >> 18)));
                out.put((byte) (0x80 | ((cp >> 12) & 0x3F)));
                out.put((byte) (0x80 | ((cp >> 6) & 0x3F)));
                out.put((byte) (0x80 | (cp & 0x3F)));
            } else {
                out.put((byte) (0xE0 | (c >> 12)));
                out.put((byte) (0x80 | ((c >> 6) & 0x3F)));
                out.put((byte) (0x80 | (c & 0x3F)));
            }
        }
    }
}
