package io.gomq.core.session.store;

import io.gomq.core.log.RecordCodec;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.topic.SubscriptionOptions;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The one encoding of a persistent session's whole state, used by the local store (a snapshot
 * entry, a WAL {@code STATE} update) and by the cluster's log journal (a retained record).
 * Big endian:
 * <pre>
 *  byte   version 3
 *  long   committed offset
 *  int    S, S x (string filter, subscription options: {@link StoredSubscription})
 *  int    F, F x (ushort packet id, long offset, byte state: 0 SENT, 1 PUBREL_SENT)
 *  int    I, I x (ushort packet id, message)        inbound QoS 2 not yet released
 *  long   session expiry interval (seconds), long disconnected-at (ms, -1 while connected)
 *  byte   has will [long will delay (seconds), message]
 *  int    H, H x long offset                         shared messages its groups gave it, not yet taken
 *  message = int length, a log record ({@link RecordCodec}: with its MQTT 5 properties)
 *  string  = ushort length, UTF-8
 * </pre>
 * Read, never written:
 * <ul>
 *  <li>versions 1 and 2 (the log journal before version 3) stored a message as string topic,
 *      byte hasKey [string key], byte QoS, byte retain, long id, long timestamp, int P, P bytes,
 *      without properties; version 1 also lacks the expiry longs;</li>
 *  <li>the unversioned state of the local store's snapshot version 1 and 2 and of the WAL's
 *      {@code PUT} update ({@link #decodeUnversioned}): the client id first, strings with an
 *      int length, otherwise the fields of version 3; the oldest end after disconnected-at.</li>
 * </ul>
 * A session with 3 subscriptions and 10 in-flight messages is about 150 bytes.
 *
 * <p>Thread rules: stateless; any thread.
 */
final class SessionStateCodec {
    static final byte VERSION = 3;

    private SessionStateCodec() {
    }

    /** The state without its client id (the log journal keeps that in the record's topic). */
    static byte[] encode(SessionState s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 16 * s.inflight().size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** The state preceded by its client id ({@code ushort length, UTF-8}): a store entry. */
    static void writeWithId(DataOutputStream out, SessionState s) throws IOException {
        string(out, s.clientId());
        write(out, s);
    }

    /** Reads what {@link #writeWithId} wrote. */
    static SessionState decodeWithId(ByteBuffer in) {
        try {
            return decode(string(in), in);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated session state", e);
        }
    }

    private static void write(DataOutputStream out, SessionState s) throws IOException {
        out.writeByte(VERSION);
        out.writeLong(s.committedOffset());
        out.writeInt(s.subscriptions().size());
        for (Map.Entry<String, SubscriptionOptions> e : s.subscriptions().entrySet()) {
            string(out, e.getKey());
            StoredSubscription.write(out, e.getValue());
        }
        out.writeInt(s.inflight().size());
        for (InflightEntry e : s.inflight().values()) {
            out.writeShort(e.packetId());
            out.writeLong(e.offset());
            out.writeByte(e.state() == InflightState.PUBREL_SENT ? 1 : 0);
        }
        out.writeInt(s.inbound().size());
        for (Map.Entry<Integer, Message> e : s.inbound().entrySet()) {
            out.writeShort(e.getKey());
            writeMessage(out, e.getValue());
        }
        out.writeLong(s.expirySeconds());
        out.writeLong(s.disconnectedAtMillis());
        writeWill(out, s.will(), s.willDelaySeconds());
        out.writeInt(s.sharedOffsets().size());
        for (long o : s.sharedOffsets()) {
            out.writeLong(o);
        }
    }

    /** @throws IllegalArgumentException when the bytes are not a session state of a known version */
    static SessionState decode(String clientId, ByteBuffer in) {
        try {
            byte version = in.get();
            if (version < 1 || version > VERSION) {
                throw new IllegalArgumentException("unknown session state version " + version);
            }
            MutableSession m = new MutableSession(clientId);
            m.committed = in.getLong();
            for (int i = in.getInt(); i > 0; i--) {
                m.subscriptions.put(string(in), StoredSubscription.read(in));
            }
            readInflight(in, m);
            for (int i = in.getInt(); i > 0; i--) {
                int id = Short.toUnsignedInt(in.getShort());
                m.inbound.put(id, version >= 3 ? readMessage(in) : legacyMessage(in));
            }
            if (version >= 2) {
                m.expirySeconds = in.getLong();
                m.disconnectedAtMillis = in.getLong();
            }
            if (version >= 3) {
                readWill(in, m);
                readShared(in, m);
            }
            return m.freeze();
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated session state", e);
        }
    }

    /**
     * A state of the local store's files before they carried versioned states (snapshot
     * versions 1 and 2, the WAL's {@code PUT}): {@code int}-length strings, the client id first.
     *
     * @throws RuntimeException (a buffer underflow or an invalid value) when the bytes are not one
     */
    static MutableSession decodeUnversioned(ByteBuffer in) {
        MutableSession m = new MutableSession(intString(in));
        m.committed = in.getLong();
        for (int n = in.getInt(); n > 0; n--) {
            m.subscriptions.put(intString(in), StoredSubscription.read(in));
        }
        readInflight(in, m);
        for (int n = in.getInt(); n > 0; n--) {
            int id = Short.toUnsignedInt(in.getShort());
            m.inbound.put(id, readMessage(in));
        }
        m.expirySeconds = in.getLong();
        m.disconnectedAtMillis = in.getLong();
        if (in.hasRemaining()) { // states written before wills were stored end here
            readWill(in, m);
            readShared(in, m);
        }
        return m;
    }

    private static void readInflight(ByteBuffer in, MutableSession m) {
        for (int n = in.getInt(); n > 0; n--) {
            int id = Short.toUnsignedInt(in.getShort());
            long offset = in.getLong();
            byte state = in.get();
            if (state != 0 && state != 1) {
                throw new IllegalArgumentException("bad in-flight state " + state);
            }
            m.inflight.put(id, new InflightEntry(id, offset, state == 1 ? InflightState.PUBREL_SENT : InflightState.SENT));
        }
    }

    private static void readShared(ByteBuffer in, MutableSession m) {
        for (int n = in.getInt(); n > 0; n--) {
            m.sharedOffsets.add(in.getLong());
        }
    }

    /** A will as a state and the WAL's {@code WILL} update keep it: byte present [long delay, message]. */
    static void writeWill(DataOutputStream out, Message will, long delaySeconds) throws IOException {
        out.writeByte(will == null ? 0 : 1);
        if (will != null) {
            out.writeLong(delaySeconds);
            writeMessage(out, will);
        }
    }

    static void readWill(ByteBuffer in, MutableSession m) {
        boolean present = in.get() == 1;
        m.willDelaySeconds = present ? in.getLong() : 0;
        m.will = present ? readMessage(in) : null;
    }

    /** A stored message: int length, then a log record with its own CRC32C. */
    static void writeMessage(DataOutputStream out, Message m) throws IOException {
        RecordCodec codec = new RecordCodec(); // not thread-safe; messages in session state are rare
        int len = codec.encode(-1, m);
        out.writeInt(len);
        out.write(codec.array(), 0, len);
    }

    static Message readMessage(ByteBuffer in) {
        int len = in.getInt();
        if (len < 0 || len > in.remaining()) {
            throw new IllegalArgumentException("bad stored message length " + len);
        }
        byte[] b = new byte[len];
        in.get(b);
        String bad = new RecordCodec().validate(b, 0, b.length);
        if (bad != null) {
            throw new IllegalArgumentException("stored message invalid: " + bad);
        }
        return RecordCodec.decode(b, 0, null);
    }

    /** A message of a version 1 or 2 state. */
    private static Message legacyMessage(ByteBuffer in) {
        String topic = string(in);
        String key = in.get() == 1 ? string(in) : null;
        Qos qos = Qos.of(in.get());
        boolean retain = in.get() == 1;
        long messageId = in.getLong();
        long ts = in.getLong();
        byte[] payload = new byte[in.getInt()];
        in.get(payload);
        return Message.restore(messageId, topic, key, payload, qos, retain, ts);
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8); // MQTT strings are at most 65,535 bytes
        out.writeShort(b.length);
        out.write(b);
    }

    private static String string(ByteBuffer in) {
        byte[] b = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The WAL's updates name their client and filters with an int length (as they always have). */
    static void intString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String intString(ByteBuffer in) {
        int len = in.getInt();
        if (len < 0 || len > in.remaining()) {
            throw new IllegalArgumentException("bad string length " + len);
        }
        byte[] b = new byte[len];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
