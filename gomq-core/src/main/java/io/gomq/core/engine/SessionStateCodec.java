package io.gomq.core.engine;

import io.gomq.core.log.RecordCodec;
import io.gomq.core.log.session.StoredSubscription;
import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.log.session.InflightEntry;
import io.gomq.core.log.session.InflightState;
import io.gomq.core.log.session.SessionState;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole state of one persistent session as one record payload (big endian):
 * <pre>
 *  byte   version 3
 *  long   committed offset
 *  int    S, S x (string filter, subscription options)
 *  int    F, F x (ushort packet id, long offset, byte state: 0 SENT, 1 PUBREL_SENT)
 *  int    I, I x (ushort packet id, message)        inbound QoS 2 not yet released
 *  long   session expiry interval (seconds), long disconnected-at (ms, -1 while connected)
 *  byte   has will [long will delay (seconds), message]
 *  int    H, H x long offset                         shared messages its groups gave it, not yet taken
 *  message = int length, a log record ({@link RecordCodec}: with its MQTT 5 properties)
 *  string  = ushort length, UTF-8
 * </pre>
 * Versions 1 and 2 (read, never written) stored a message as string topic, byte hasKey
 * [string key], byte QoS, byte retain, long id, long timestamp, int P, P bytes, without
 * properties; version 1 also lacks the expiry longs. A session with 3 subscriptions and 10
 * in-flight messages is about 150 bytes.
 */
final class SessionStateCodec {
    private static final byte VERSION = 3;

    private SessionStateCodec() {
    }

    static byte[] encode(SessionState s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 16 * s.inflight().size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
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
            RecordCodec codec = new RecordCodec();
            for (Map.Entry<Integer, Message> e : s.inbound().entrySet()) {
                out.writeShort(e.getKey());
                message(out, codec, e.getValue());
            }
            out.writeLong(s.expirySeconds());
            out.writeLong(s.disconnectedAtMillis());
            out.writeByte(s.will() == null ? 0 : 1);
            if (s.will() != null) {
                out.writeLong(s.willDelaySeconds());
                message(out, codec, s.will());
            }
            out.writeInt(s.sharedOffsets().size());
            for (long o : s.sharedOffsets()) {
                out.writeLong(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a session state of a known version */
    static SessionState decode(String clientId, ByteBuffer in) {
        try {
            byte version = in.get();
            if (version < 1 || version > VERSION) {
                throw new IllegalArgumentException("unknown session state version");
            }
            long committed = in.getLong();
            Map<String, SubscriptionOptions> subs = new HashMap<>();
            for (int i = in.getInt(); i > 0; i--) {
                subs.put(string(in), StoredSubscription.read(in));
            }
            Map<Integer, InflightEntry> inflight = new HashMap<>();
            for (int i = in.getInt(); i > 0; i--) {
                int id = Short.toUnsignedInt(in.getShort());
                long offset = in.getLong();
                inflight.put(id, new InflightEntry(id, offset, in.get() == 1 ? InflightState.PUBREL_SENT : InflightState.SENT));
            }
            Map<Integer, Message> inbound = new HashMap<>();
            for (int i = in.getInt(); i > 0; i--) {
                int id = Short.toUnsignedInt(in.getShort());
                inbound.put(id, version >= 3 ? message(in) : legacyMessage(in));
            }
            if (version == 1) {
                return new SessionState(clientId, subs, committed, inflight, inbound);
            }
            long expiry = in.getLong();
            long disconnectedAt = in.getLong();
            if (version == 2) {
                return new SessionState(clientId, subs, committed, inflight, inbound, expiry, disconnectedAt);
            }
            boolean hasWill = in.get() == 1;
            long willDelay = hasWill ? in.getLong() : 0;
            Message will = hasWill ? message(in) : null;
            java.util.TreeSet<Long> shared = new java.util.TreeSet<>();
            for (int i = in.getInt(); i > 0; i--) {
                shared.add(in.getLong());
            }
            return new SessionState(clientId, subs, committed, inflight, inbound, expiry, disconnectedAt, will,
                    willDelay, shared);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated session state", e);
        }
    }

    private static void message(DataOutputStream out, RecordCodec codec, Message m) throws IOException {
        int len = codec.encode(-1, m);
        out.writeInt(len);
        out.write(codec.array(), 0, len);
    }

    private static Message message(ByteBuffer in) {
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
}
