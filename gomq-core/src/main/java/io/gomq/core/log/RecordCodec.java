package io.gomq.core.log;

import io.gomq.core.message.Message;
import io.gomq.core.message.MessageProperties;
import io.gomq.core.message.Qos;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The byte layout of one log record (little endian), the same in Chronicle segments and in
 * compacted segments:
 * <pre>
 *  0  int    magic 0x314D5147 ("GQM1": format version 1)
 *  4  long   offset            (assigned by the log, global, monotonic)
 * 12  long   timestampMillis   (the message's)
 * 20  long   message id
 * 28  byte   flags: bits 0-1 QoS, bit 2 retain, bit 3 explicit key present, bit 4 properties present
 * 29  ushort topic length T, then T bytes of UTF-8
 *     [int key length K, then K bytes of UTF-8]   only when flag bit 3 is set
 *     int    payload length P, then P bytes
 *     [int properties length N, then N bytes]     only when flag bit 4 is set: MQTT 5
 *                                                 message properties, see StoredProperties
 *     int    CRC32C of every byte before it
 * </pre>
 * Not thread-safe: one instance per thread (it holds scratch buffers).
 */
public final class RecordCodec {
    public static final int MAGIC = 0x314D5147;
    public static final int FIXED_HEADER = 31;
    /** Header + empty topic + payload length + CRC: the smallest valid record. */
    public static final int MIN_RECORD = FIXED_HEADER + 4 + 4;
    private static final int FLAG_RETAIN = 4;
    private static final int FLAG_KEY = 8;
    private static final int FLAG_PROPERTIES = 16;

    private final CRC32C crc = new CRC32C();
    private ByteBuffer buf = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
    private String lastTopic;
    private byte[] lastTopicBytes;

    /** Encodes {@code m} with {@code offset}; the result is valid in {@link #array()} [0, returned length). */
    public int encode(long offset, Message m) {
        byte[] topic = topicBytes(m.topic());
        boolean explicitKey = !m.key().equals(m.topic());
        byte[] key = explicitKey ? m.key().getBytes(StandardCharsets.UTF_8) : null;
        boolean hasProperties = !m.properties().isEmpty() || m.origin() != null;
        int propertiesSize = hasProperties ? StoredProperties.size(m.properties(), m.origin()) : 0;
        int size = FIXED_HEADER + topic.length + (explicitKey ? 4 + key.length : 0) + 4 + m.payloadSize()
                + (hasProperties ? 4 + propertiesSize : 0) + 4;
        if (buf.capacity() < size) {
            buf = ByteBuffer.allocate(Math.max(size, buf.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer b = buf;
        b.clear();
        b.putInt(MAGIC).putLong(offset).putLong(m.timestampMillis()).putLong(m.id());
        b.put((byte) (m.qos().value() | (m.retain() ? FLAG_RETAIN : 0) | (explicitKey ? FLAG_KEY : 0)
                | (hasProperties ? FLAG_PROPERTIES : 0)));
        b.putShort((short) topic.length).put(topic);
        if (explicitKey) {
            b.putInt(key.length).put(key);
        }
        b.putInt(m.payloadSize());
        m.writePayloadTo(b);
        if (hasProperties) {
            b.putInt(propertiesSize);
            StoredProperties.write(b, m.properties(), m.origin());
        }
        crc.reset();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.position();
    }

    /** The topic's UTF-8 bytes; a publisher repeating its topic instance pays the encoding once. */
    private byte[] topicBytes(String topic) {
        if (topic != lastTopic) {
            lastTopicBytes = topic.getBytes(StandardCharsets.UTF_8);
            lastTopic = topic;
        }
        return lastTopicBytes;
    }

    public byte[] array() {
        return buf.array();
    }

    /** Rewrites the offset of an encoded record in {@link #array()} and recomputes its CRC. */
    public void patchOffset(int length, long offset) {
        ByteBuffer b = buf;
        b.putLong(4, offset);
        crc.reset();
        crc.update(b.array(), 0, length - 4);
        b.putInt(length - 4, (int) crc.getValue());
    }

    /** Why {@code bytes[from, from+len)} is not a valid record, or null when it is. */
    public String validate(byte[] bytes, int from, int len) {
        if (len < MIN_RECORD) {
            return "record too short (" + len + " bytes)";
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, from, len).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(from) != MAGIC) {
            return "bad magic";
        }
        int topicLen = Short.toUnsignedInt(b.getShort(from + 29));
        int p = from + FIXED_HEADER + topicLen;
        if ((bytes[from + 28] & FLAG_KEY) != 0) {
            if (p + 4 > from + len) {
                return "key length beyond record";
            }
            int keyLen = b.getInt(p);
            if (keyLen < 0 || keyLen > len) {
                return "bad key length " + keyLen;
            }
            p += 4 + keyLen;
        }
        if (p + 4 > from + len) {
            return "payload length beyond record";
        }
        int payloadLen = b.getInt(p);
        if (payloadLen < 0 || payloadLen > len) {
            return "bad payload length " + payloadLen;
        }
        p += 4 + payloadLen;
        if ((bytes[from + 28] & FLAG_PROPERTIES) != 0) {
            if (p + 4 > from + len) {
                return "properties length beyond record";
            }
            int propertiesLen = b.getInt(p);
            if (propertiesLen < 1 || propertiesLen > len) {
                return "bad properties length " + propertiesLen;
            }
            p += 4 + propertiesLen;
        }
        if (p + 4 != from + len) {
            return "bad record length: fields end at " + (p + 4 - from) + " of " + len;
        }
        crc.reset();
        crc.update(bytes, from, len - 4);
        if ((int) crc.getValue() != b.getInt(from + len - 4)) {
            return "CRC32C mismatch";
        }
        return null;
    }

    public static long offset(byte[] bytes, int from) {
        return getLong(bytes, from + 4);
    }

    public static long timestamp(byte[] bytes, int from) {
        return getLong(bytes, from + 12);
    }

    public static boolean retain(byte[] bytes, int from) {
        return (bytes[from + 28] & FLAG_RETAIN) != 0;
    }

    public static int topicLength(byte[] bytes, int from) {
        return (bytes[from + 29] & 0xFF) | (bytes[from + 30] & 0xFF) << 8;
    }

    /** Payload length of a validated record. */
    public static int payloadLength(byte[] bytes, int from, int len) {
        int p = from + FIXED_HEADER + topicLength(bytes, from);
        if ((bytes[from + 28] & FLAG_KEY) != 0) {
            p += 4 + getInt(bytes, p);
        }
        return getInt(bytes, p);
    }

    /** Decodes a validated record. {@code topic} may pass an already interned topic string, or null. */
    public static Message decode(byte[] bytes, int from, String topic) {
        int flags = bytes[from + 28];
        int topicLen = topicLength(bytes, from);
        if (topic == null) {
            topic = new String(bytes, from + FIXED_HEADER, topicLen, StandardCharsets.UTF_8);
        }
        int p = from + FIXED_HEADER + topicLen;
        String key = null;
        if ((flags & FLAG_KEY) != 0) {
            int keyLen = getInt(bytes, p);
            key = new String(bytes, p + 4, keyLen, StandardCharsets.UTF_8);
            p += 4 + keyLen;
        }
        int payloadLen = getInt(bytes, p);
        byte[] payload = new byte[payloadLen];
        System.arraycopy(bytes, p + 4, payload, 0, payloadLen);
        MessageProperties properties = MessageProperties.NONE;
        String origin = null;
        if ((flags & FLAG_PROPERTIES) != 0) {
            int at = p + 4 + payloadLen;
            StoredProperties.Stored stored = StoredProperties.read(
                    ByteBuffer.wrap(bytes, at + 4, getInt(bytes, at)).order(ByteOrder.LITTLE_ENDIAN));
            properties = stored.properties();
            origin = stored.origin();
        }
        return Message.restore(getLong(bytes, from + 20), topic, key, payload, Qos.of(flags & 3),
                (flags & FLAG_RETAIN) != 0, getLong(bytes, from + 12), properties, origin);
    }

    public static String topic(byte[] bytes, int from) {
        return new String(bytes, from + FIXED_HEADER, topicLength(bytes, from), StandardCharsets.UTF_8);
    }

    /** The compaction key of a validated record: see {@link #compactionKey(Message)}. */
    public static String compactionKey(byte[] bytes, int from) {
        int flags = bytes[from + 28];
        int topicLen = topicLength(bytes, from);
        boolean retain = (flags & FLAG_RETAIN) != 0;
        if (retain || (flags & FLAG_KEY) == 0) {
            return (retain ? "R" : "N") + new String(bytes, from + FIXED_HEADER, topicLen, StandardCharsets.UTF_8);
        }
        int p = from + FIXED_HEADER + topicLen;
        return "N" + new String(bytes, p + 4, getInt(bytes, p), StandardCharsets.UTF_8);
    }

    /**
     * Where the bytes of {@link #compactionKey(byte[], int)} (without its R/N prefix, which
     * {@link #retain} gives) lie in a validated record: {@code start << 32 | length}.
     */
    public static long compactionKeyRange(byte[] bytes, int from) {
        int flags = bytes[from + 28];
        int topicLen = topicLength(bytes, from);
        if ((flags & FLAG_RETAIN) != 0 || (flags & FLAG_KEY) == 0) {
            return (long) (from + FIXED_HEADER) << 32 | topicLen;
        }
        int p = from + FIXED_HEADER + topicLen;
        return (long) (p + 4) << 32 | getInt(bytes, p);
    }

    /**
     * Retained records compact per topic (so the newest retained message of every topic always
     * survives, whatever key it carries); other records per message key. The two never
     * supersede each other: a plain QoS 1 publish must not erase a topic's retained message.
     */
    public static String compactionKey(Message m) {
        return m.retain() ? "R" + m.topic() : "N" + m.key();
    }

    static long getLong(byte[] b, int i) {
        return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24
                | (b[i + 4] & 0xFFL) << 32 | (b[i + 5] & 0xFFL) << 40 | (b[i + 6] & 0xFFL) << 48 | (b[i + 7] & 0xFFL) << 56;
    }

    public static int getIntLE(byte[] b, int i) {
        return getInt(b, i);
    }

    static int getInt(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }
}
