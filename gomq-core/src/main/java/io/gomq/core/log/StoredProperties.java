package io.gomq.core.log;

import io.gomq.core.message.MessageProperties;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The log's own layout of a message's MQTT 5 properties, stored after the payload of a record
 * that has them (little endian, like the rest of the record):
 * <pre>
 *  byte  presence bits: 0 payload format, 1 expiry, 2 content type, 3 response topic,
 *                       4 correlation data, 5 user properties, 6 origin
 *  [byte payload format 0|1] [long expiry seconds] [string content type] [string response topic]
 *  [int length + bytes correlation data] [int count, then count x (string name, string value)]
 *  [string origin: the publishing client's id, kept only for a client with a No Local
 *   subscription, so that a read of the log skips that client's own messages too]
 *  string = int length + UTF-8 bytes
 * </pre>
 * Design note: not MQTT's wire encoding; a stored record is read far more often than it is
 * written, and fixed-width lengths let the reader skip without decoding varints. A record
 * without properties (every MQTT 3.1.1 message) carries none of this.
 */
final class StoredProperties {
    private static final int UTF8_FORMAT = 1;
    private static final int EXPIRY = 2;
    private static final int CONTENT_TYPE = 4;
    private static final int RESPONSE_TOPIC = 8;
    private static final int CORRELATION = 16;
    private static final int USER = 32;
    private static final int ORIGIN = 64;

    /** What a record's properties block holds. */
    record Stored(MessageProperties properties, String origin) {
    }

    private StoredProperties() {
    }

    static int size(MessageProperties p, String origin) {
        int n = 1;
        if (origin != null) n += string(origin);
        if (p.payloadUtf8() != null) n += 1;
        if (p.expires()) n += 8;
        if (p.contentType() != null) n += string(p.contentType());
        if (p.responseTopic() != null) n += string(p.responseTopic());
        if (p.correlationDataLength() >= 0) n += 4 + p.correlationDataLength();
        if (!p.userProperties().isEmpty()) {
            n += 4;
            for (MessageProperties.UserProperty u : p.userProperties()) {
                n += string(u.name()) + string(u.value());
            }
        }
        return n;
    }

    static void write(ByteBuffer b, MessageProperties p, String origin) {
        int bits = (p.payloadUtf8() != null ? UTF8_FORMAT : 0) | (p.expires() ? EXPIRY : 0)
                | (p.contentType() != null ? CONTENT_TYPE : 0) | (p.responseTopic() != null ? RESPONSE_TOPIC : 0)
                | (p.correlationDataLength() >= 0 ? CORRELATION : 0) | (p.userProperties().isEmpty() ? 0 : USER)
                | (origin != null ? ORIGIN : 0);
        b.put((byte) bits);
        if (p.payloadUtf8() != null) b.put((byte) (p.payloadUtf8() ? 1 : 0));
        if (p.expires()) b.putLong(p.messageExpirySeconds());
        if (p.contentType() != null) putString(b, p.contentType());
        if (p.responseTopic() != null) putString(b, p.responseTopic());
        if (p.correlationDataLength() >= 0) {
            b.putInt(p.correlationDataLength());
            p.writeCorrelationData(b);
        }
        if (!p.userProperties().isEmpty()) {
            b.putInt(p.userProperties().size());
            for (MessageProperties.UserProperty u : p.userProperties()) {
                putString(b, u.name());
                putString(b, u.value());
            }
        }
        if (origin != null) putString(b, origin);
    }

    /** Reads properties written by {@link #write} at {@code b}'s position (a CRC-checked record). */
    static Stored read(ByteBuffer b) {
        int bits = b.get();
        MessageProperties.Builder p = MessageProperties.builder();
        if ((bits & UTF8_FORMAT) != 0) p.payloadUtf8(b.get() == 1);
        if ((bits & EXPIRY) != 0) p.messageExpirySeconds(b.getLong());
        if ((bits & CONTENT_TYPE) != 0) p.contentType(getString(b));
        if ((bits & RESPONSE_TOPIC) != 0) p.responseTopic(getString(b));
        if ((bits & CORRELATION) != 0) {
            byte[] data = new byte[b.getInt()];
            b.get(data);
            p.correlationDataOwned(data);
        }
        if ((bits & USER) != 0) {
            for (int i = b.getInt(); i > 0; i--) {
                p.userProperty(getString(b), getString(b));
            }
        }
        String origin = (bits & ORIGIN) != 0 ? getString(b) : null;
        return new Stored(p.build(), origin);
    }

    private static int string(String s) {
        return 4 + s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putInt(bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer b) {
        byte[] bytes = new byte[b.getInt()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
