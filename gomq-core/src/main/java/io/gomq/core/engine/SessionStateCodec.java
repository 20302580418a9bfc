package io.gomq.core.engine;

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
 *  byte   version 2 (1: the same without the two trailing longs)
 *  long   committed offset
 *  int    S, S x (string filter, byte QoS)
 *  int    F, F x (ushort packet id, long offset, byte state: 0 SENT, 1 PUBREL_SENT)
 *  int    I, I x (ushort packet id, message)        inbound QoS 2 not yet released
 *  long   session expiry interval (seconds), long disconnected-at (ms, -1 while connected)
 *  message = string topic, byte hasKey [string key], byte QoS, byte retain, long id, long timestamp, int P, P bytes
 *  string  = ushort length, UTF-8
 * </pre>
 * A session with 3 subscriptions and 10 in-flight messages is about 150 bytes.
 */
final class SessionStateCodec {
    private static final byte VERSION = 2;

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
            for (Map.Entry<Integer, Message> e : s.inbound().entrySet()) {
                out.writeShort(e.getKey());
                Message m = e.getValue();
                string(out, m.topic());
                boolean hasKey = m.key() != null && !m.key().equals(m.topic());
                out.writeByte(hasKey ? 1 : 0);
                if (hasKey) {
                    string(out, m.key());
                }
                out.writeByte(m.qos().value());
                out.writeByte(m.retain() ? 1 : 0);
                out.writeLong(m.id());
                out.writeLong(m.timestampMillis());
                byte[] p = m.payloadBytes();
                out.writeInt(p.length);
                out.write(p);
            }
            out.writeLong(s.expirySeconds());
            out.writeLong(s.disconnectedAtMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a version-1 session state */
    static SessionState decode(String clientId, ByteBuffer in) {
        try {
            byte version = in.get();
            if (version != VERSION && version != 1) {
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
                String topic = string(in);
                String key = in.get() == 1 ? string(in) : null;
                Qos qos = Qos.of(in.get());
                boolean retain = in.get() == 1;
                long messageId = in.getLong();
                long ts = in.getLong();
                byte[] payload = new byte[in.getInt()];
                in.get(payload);
                inbound.put(id, Message.restore(messageId, topic, key, payload, qos, retain, ts));
            }
            if (version == 1) {
                return new SessionState(clientId, subs, committed, inflight, inbound);
            }
            return new SessionState(clientId, subs, committed, inflight, inbound, in.getLong(), in.getLong());
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated session state", e);
        }
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
