package io.gomq.core.session.store;

import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.topic.SubscriptionOptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one session state codec: version 3 round trips, and the versions 1 and 2 the cluster journal wrote before. */
class SessionStateCodecTest {
    @Test
    void sessionStateSurvivesTheCodec() {
        Message inbound = Message.restore(7, "a/b", "k", new byte[] {1, 2, 3}, Qos.EXACTLY_ONCE, true, 42);
        SessionState s = new SessionState("c1", Map.of("a/#", SubscriptionOptions.of(Qos.AT_LEAST_ONCE), "x", new SubscriptionOptions(Qos.EXACTLY_ONCE, true, true, 2, 7)), 120,
                Map.of(3, new InflightEntry(3, 100, InflightState.SENT), 4, new InflightEntry(4, 101, InflightState.PUBREL_SENT)),
                Map.of(9, inbound));
        SessionState back = SessionStateCodec.decode("c1", ByteBuffer.wrap(SessionStateCodec.encode(s)));
        assertEquals(s.subscriptions(), back.subscriptions());
        assertEquals(s.committedOffset(), back.committedOffset());
        assertEquals(s.inflight(), back.inflight());
        Message m = back.inbound().get(9);
        assertEquals("a/b", m.topic());
        assertEquals("k", m.key());
        assertEquals(Qos.EXACTLY_ONCE, m.qos());
        assertTrue(m.retain() && m.samePayload(new byte[] {1, 2, 3}) && m.id() == 7 && m.timestampMillis() == 42);
        assertNull(back.will());
    }

    @Test
    void theCodecKeepsMqtt5PropertiesOfInboundMessagesAndTheWill() {
        Message inbound = Message.builder("a/b").payload("q2").qos(Qos.EXACTLY_ONCE)
                .userProperty("k", "v").userProperty("k", "w").contentType("text/plain").build();
        Message will = Message.builder("wills/c1").payload("gone").qos(Qos.AT_LEAST_ONCE).retain(true)
                .responseTopic("r/t").build();
        SessionState s = new SessionState("c1", Map.of(), 5, Map.of(), Map.of(1, inbound), 300, 1234, will, 30);
        SessionState back = SessionStateCodec.decode("c1", ByteBuffer.wrap(SessionStateCodec.encode(s)));
        assertEquals(inbound.properties(), back.inbound().get(1).properties());
        assertEquals(300, back.expirySeconds());
        assertEquals(1234, back.disconnectedAtMillis());
        assertEquals(30, back.willDelaySeconds());
        assertEquals("wills/c1", back.will().topic());
        assertTrue(back.will().retain() && back.will().samePayload("gone".getBytes(StandardCharsets.UTF_8)));
        assertEquals(will.properties(), back.will().properties());
    }

    @Test
    void shouldReadAVersion1StateWrittenBeforeExpiryWasStored() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(1);
        out.writeLong(120);
        out.writeInt(1); // subscriptions
        ushortString(out, "a/#");
        out.writeByte(1); // QoS 1
        out.writeInt(1); // in flight
        out.writeShort(3);
        out.writeLong(100);
        out.writeByte(1); // PUBREL_SENT
        out.writeInt(1); // inbound
        out.writeShort(9);
        legacyMessage(out, "a/b", 7, "hi");
        SessionState back = SessionStateCodec.decode("c1", ByteBuffer.wrap(bytes.toByteArray()));
        assertEquals(Map.of("a/#", SubscriptionOptions.of(Qos.AT_LEAST_ONCE)), back.subscriptions());
        assertEquals(120, back.committedOffset());
        assertEquals(Map.of(3, new InflightEntry(3, 100, InflightState.PUBREL_SENT)), back.inflight());
        Message m = back.inbound().get(9);
        assertEquals("a/b", m.topic());
        assertEquals(7, m.id());
        assertTrue(m.samePayload("hi".getBytes(StandardCharsets.UTF_8)));
        assertEquals(SessionState.NEVER, back.expirySeconds());
        assertEquals(-1, back.disconnectedAtMillis());
    }

    @Test
    void shouldReadAVersion2StateWithItsExpiry() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(2);
        out.writeLong(5);
        out.writeInt(0);
        out.writeInt(0);
        out.writeInt(1);
        out.writeShort(1);
        legacyMessage(out, "q/2", 11, "two");
        out.writeLong(300);
        out.writeLong(1234);
        SessionState back = SessionStateCodec.decode("c2", ByteBuffer.wrap(bytes.toByteArray()));
        assertEquals(5, back.committedOffset());
        assertEquals(300, back.expirySeconds());
        assertEquals(1234, back.disconnectedAtMillis());
        assertEquals("q/2", back.inbound().get(1).topic());
        assertNull(back.will());
    }

    @Test
    void shouldRefuseAnUnknownVersionOrATruncatedState() {
        assertThrows(IllegalArgumentException.class, () -> SessionStateCodec.decode("c", ByteBuffer.wrap(new byte[] {4, 0})));
        byte[] whole = SessionStateCodec.encode(SessionState.empty("c"));
        assertThrows(IllegalArgumentException.class,
                () -> SessionStateCodec.decode("c", ByteBuffer.wrap(java.util.Arrays.copyOf(whole, whole.length - 3))));
    }

    private static void ushortString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    /** A message as versions 1 and 2 stored it: no properties. */
    private static void legacyMessage(DataOutputStream out, String topic, long id, String payload) throws IOException {
        ushortString(out, topic);
        out.writeByte(0); // no key
        out.writeByte(2); // QoS 2
        out.writeByte(0); // not retained
        out.writeLong(id);
        out.writeLong(42); // timestamp
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        out.writeInt(p.length);
        out.write(p);
    }
}
