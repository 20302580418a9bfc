package io.gomq.core.codec;

import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * MQTT 3.1.1 and MQTT 5.0 encoder: stateless, static, thread-safe. Writes at
 * {@code out.position()} and advances it; when {@code out} has less room than the packet needs
 * it throws {@link BufferOverflowException} before writing anything. Invalid content that a
 * record cannot rule out (a string over 65,535 UTF-8 bytes, a lone surrogate, U+0000, a packet
 * over the 268,435,455-byte remaining-length limit) is an IllegalArgumentException: the caller's bug.
 *
 * <p>Protocol level: records carry no level; the methods taking {@code protocolLevel} write the
 * packet as that level (4 = MQTT 3.1.1, 5 = MQTT 5.0), the ones without write MQTT 3.1.1. At
 * level 4 the MQTT 5 fields (reason codes, properties, topic alias, subscription options) are
 * left out, as 3.1.1 has no place for them; AUTH exists only at level 5. A {@link Connect} is
 * the exception: it declares its own level and is always written at {@link Connect#protocolLevel()}.
 *
 * <p>Deliveries use {@link #encodePublish(ByteBuffer, Message, int, boolean, Qos, boolean, int, int, boolean, long)}
 * (or the 3.1.1 shorthand): topic, payload and properties go straight from the {@link Message}
 * into {@code out}, with no record, no payload copy and, for an ASCII topic, no allocation at all.
 */
public final class MqttEncoder {
    private MqttEncoder() {
    }

    /** The exact number of bytes {@link #encode(ByteBuffer, MqttPacket)} writes for {@code packet}. */
    public static int encodedSize(MqttPacket packet) {
        return encodedSize(packet, Connect.PROTOCOL_LEVEL_311);
    }

    /** The exact number of bytes {@link #encode(ByteBuffer, MqttPacket, int)} writes. */
    public static int encodedSize(MqttPacket packet, int protocolLevel) {
        return Wire.packetSize(remainingLength(packet, levelFor(packet, protocolLevel)));
    }

    /** Encodes as MQTT 3.1.1 into a new heap buffer of the exact size, flipped and ready to read. */
    public static ByteBuffer encode(MqttPacket packet) {
        return encode(packet, Connect.PROTOCOL_LEVEL_311);
    }

    /** Encodes at {@code protocolLevel} into a new heap buffer of the exact size, flipped and ready to read. */
    public static ByteBuffer encode(MqttPacket packet, int protocolLevel) {
        int level = levelFor(packet, protocolLevel);
        int remaining = remainingLength(packet, level);
        ByteBuffer out = ByteBuffer.allocate(Wire.packetSize(remaining));
        write(out, packet, remaining, level);
        return out.flip();
    }

    /** Encodes {@code packet} as MQTT 3.1.1 into {@code out} at its position. */
    public static void encode(ByteBuffer out, MqttPacket packet) {
        encode(out, packet, Connect.PROTOCOL_LEVEL_311);
    }

    /** Encodes {@code packet} at {@code protocolLevel} into {@code out} at its position. */
    public static void encode(ByteBuffer out, MqttPacket packet, int protocolLevel) {
        int level = levelFor(packet, protocolLevel);
        int remaining = remainingLength(packet, level);
        if (out.remaining() < Wire.packetSize(remaining)) {
            throw new BufferOverflowException();
        }
        write(out, packet, remaining, level);
    }

    private static int levelFor(MqttPacket packet, int protocolLevel) {
        if (packet instanceof Connect c) {
            return c.protocolLevel() == Connect.PROTOCOL_LEVEL_5 ? Connect.PROTOCOL_LEVEL_5 : Connect.PROTOCOL_LEVEL_311;
        }
        checkLevel(protocolLevel);
        if (!packet.type().existsAt(protocolLevel)) {
            throw new IllegalArgumentException(packet.type() + " does not exist in MQTT 3.1.1");
        }
        return protocolLevel;
    }

    private static int checkLevel(int protocolLevel) {
        if (protocolLevel != Connect.PROTOCOL_LEVEL_311 && protocolLevel != Connect.PROTOCOL_LEVEL_5) {
            throw new IllegalArgumentException("protocol level must be 4 or 5, was " + protocolLevel);
        }
        return protocolLevel;
    }

    /**
     * Writes PUBACK, PUBREC, PUBREL, PUBCOMP or UNSUBACK for {@code packetId} without a record: 4
     * bytes. Valid at both levels for PUBACK..PUBCOMP (MQTT 5 reads it as Success without
     * properties); an MQTT 5 UNSUBACK needs its reason codes, so encode an {@link UnsubAck} then.
     */
    public static void encodeAck(ByteBuffer out, PacketType type, int packetId) {
        switch (type) {
            case PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK -> { }
            default -> throw new IllegalArgumentException(type + " is not an acknowledgement with only a packet id");
        }
        PacketIds.require(packetId);
        if (out.remaining() < 4) {
            throw new BufferOverflowException();
        }
        out.put((byte) (type.value() << 4 | type.requiredFlags())).put((byte) 2).putShort((short) packetId);
    }

    /** The size of the PUBLISH that {@link #encodePublish} writes for {@code m} at {@code qos}. */
    public static int publishSize(Message m, Qos qos) {
        return Wire.packetSize(publishRemainingLength(Utf8.encodedLength(m.topic()), qos, m.payloadSize()));
    }

    /**
     * The size of the PUBLISH that
     * {@link #encodePublish(ByteBuffer, Message, int, boolean, Qos, boolean, int, int, boolean, long)}
     * writes with the same arguments.
     */
    public static int publishSize(Message m, Qos qos, int protocolLevel, int topicAlias, boolean omitTopic, long nowMillis) {
        if (checkLevel(protocolLevel) == Connect.PROTOCOL_LEVEL_311) {
            return publishSize(m, qos);
        }
        return Wire.packetSize(publish5RemainingLength(m, qos, topicAlias, omitTopic, nowMillis));
    }

    /**
     * Writes {@code m} as a PUBLISH with the given delivery attributes (the QoS granted to the
     * subscriber, not necessarily {@code m.qos()}). {@code packetId} is 0 for QoS 0, 1..65535
     * otherwise.
     */
    public static void encodePublish(ByteBuffer out, Message m, int packetId, boolean dup, Qos qos, boolean retain) {
        checkPublish(qos, packetId, dup);
        String topic = m.topic();
        int topicBytes = Wire.stringLength(topic);
        int remaining = publishRemainingLength(topicBytes, qos, m.payloadSize());
        if (out.remaining() < Wire.packetSize(remaining)) {
            throw new BufferOverflowException();
        }
        Wire.writeFixedHeader(out, PacketType.PUBLISH, publishFlags(dup, qos, retain), remaining);
        out.putShort((short) topicBytes);
        Utf8.write(out, topic);
        if (qos != Qos.AT_MOST_ONCE) {
            out.putShort((short) packetId);
        }
        m.writePayloadTo(out);
    }

    /**
     * Writes {@code m} as a PUBLISH at {@code protocolLevel}. At level 4 this is exactly
     * {@link #encodePublish(ByteBuffer, Message, int, boolean, Qos, boolean)} and the MQTT 5
     * arguments are ignored. At level 5 it adds {@code m.properties()} with the Message Expiry
     * Interval counted down to {@code nowMillis}, {@code m.subscriptionIds()}, the
     * {@code topicAlias} (0 = none) and, with {@code omitTopic}, an empty topic name (the
     * receiver knows the alias already). Allocation-free for ASCII topics and properties.
     */
    public static void encodePublish(ByteBuffer out, Message m, int packetId, boolean dup, Qos qos, boolean retain,
                                     int protocolLevel, int topicAlias, boolean omitTopic, long nowMillis) {
        if (checkLevel(protocolLevel) == Connect.PROTOCOL_LEVEL_311) {
            encodePublish(out, m, packetId, dup, qos, retain);
            return;
        }
        checkPublish(qos, packetId, dup);
        int remaining = publish5RemainingLength(m, qos, topicAlias, omitTopic, nowMillis);
        if (out.remaining() < Wire.packetSize(remaining)) {
            throw new BufferOverflowException();
        }
        Wire.writeFixedHeader(out, PacketType.PUBLISH, publishFlags(dup, qos, retain), remaining);
        publish5Head(out, m, packetId, qos, topicAlias, omitTopic, nowMillis);
        m.writePayloadTo(out);
    }

    private static int publish5RemainingLength(Message m, Qos qos, int topicAlias, boolean omitTopic, long nowMillis) {
        if (topicAlias < 0 || topicAlias > 0xFFFF || (omitTopic && topicAlias == 0)) {
            throw new IllegalArgumentException("topic alias must be 1..65535 (0 = none, not with omitTopic), was " + topicAlias);
        }
        return Wire.checkRemaining((long) publish5Head(null, m, 0, qos, topicAlias, omitTopic, nowMillis) + m.payloadSize());
    }

    /** Topic, packet id and properties of an MQTT 5 PUBLISH from a stored message; null {@code out} counts. */
    private static int publish5Head(ByteBuffer out, Message m, int packetId, Qos qos, int topicAlias, boolean omitTopic,
                                    long nowMillis) {
        int n = omitTopic ? Wire.u16(out, 0) : Wire.string(out, m.topic());
        if (qos != Qos.AT_MOST_ONCE) {
            n += Wire.u16(out, packetId);
        }
        long expiry = m.properties().remainingExpirySeconds(m.timestampMillis(), nowMillis);
        return n + PropertiesWriter.messageBlock(out, m.properties(), expiry, topicAlias, m.subscriptionIds(), 0);
    }

    private static void checkPublish(Qos qos, int packetId, boolean dup) {
        if (qos == Qos.AT_MOST_ONCE) {
            if (packetId != 0 || dup) {
                throw new IllegalArgumentException("a QoS 0 PUBLISH has packet id 0 and DUP 0, was id " + packetId + " dup " + dup);
            }
        } else {
            PacketIds.require(packetId);
        }
    }

    static int publishFlags(boolean dup, Qos qos, boolean retain) {
        return (dup ? 0x08 : 0) | qos.value() << 1 | (retain ? 0x01 : 0);
    }

    private static int publishRemainingLength(int topicBytes, Qos qos, int payloadBytes) {
        return Wire.checkRemaining(2L + topicBytes + (qos == Qos.AT_MOST_ONCE ? 0 : 2) + payloadBytes);
    }

    private static int remainingLength(MqttPacket p, int level) {
        if (level == Connect.PROTOCOL_LEVEL_5) {
            return Wire.checkRemaining(Mqtt5Writer.body(null, p));
        }
        return switch (p.type()) {
            case CONNECT -> connectRemainingLength((Connect) p);
            case PUBLISH -> {
                Publish pub = (Publish) p;
                if (pub.topic().isEmpty()) {
                    throw new IllegalArgumentException("an MQTT 3.1.1 PUBLISH needs a topic name (topic aliases are MQTT 5)");
                }
                yield publishRemainingLength(Wire.stringLength(pub.topic()), pub.qos(), pub.payload().length);
            }
            case CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK -> 2;
            case SUBSCRIBE -> {
                long n = 2;
                for (Subscribe.Subscription s : ((Subscribe) p).subscriptions()) {
                    n += 2L + Wire.stringLength(s.filter()) + 1;
                }
                yield Wire.checkRemaining(n);
            }
            case SUBACK -> Wire.checkRemaining(2L + ((SubAck) p).returnCodes().size());
            case UNSUBSCRIBE -> {
                long n = 2;
                for (String f : ((Unsubscribe) p).filters()) {
                    n += 2L + Wire.stringLength(f);
                }
                yield Wire.checkRemaining(n);
            }
            case PINGREQ, PINGRESP, DISCONNECT -> 0;
            case AUTH -> throw new IllegalArgumentException("AUTH does not exist in MQTT 3.1.1");
        };
    }

    private static int connectRemainingLength(Connect c) {
        long n = 2L + Wire.stringLength(c.protocolName()) + 1 + 1 + 2 + 2 + Wire.stringLength(c.clientId());
        if (c.will() != null) {
            n += 2L + Wire.stringLength(c.will().topic()) + 2 + Wire.binaryLength(c.will().payload());
        }
        if (c.username() != null) {
            n += 2L + Wire.stringLength(c.username());
        }
        if (c.password() != null) {
            n += 2L + Wire.binaryLength(c.password());
        }
        return Wire.checkRemaining(n);
    }

    private static void write(ByteBuffer out, MqttPacket p, int remaining, int level) {
        PacketType type = p.type();
        int flags = type == PacketType.PUBLISH ? publishFlags((Publish) p) : type.requiredFlags();
        Wire.writeFixedHeader(out, type, flags, remaining);
        if (level == Connect.PROTOCOL_LEVEL_5) {
            Mqtt5Writer.body(out, p);
            return;
        }
        switch (type) {
            case CONNECT -> writeConnect(out, (Connect) p);
            case CONNACK -> {
                ConnAck a = (ConnAck) p;
                out.put((byte) (a.sessionPresent() ? 1 : 0)).put((byte) a.returnCode().value());
            }
            case PUBLISH -> {
                Publish pub = (Publish) p;
                Wire.writeString(out, pub.topic());
                if (pub.qos() != Qos.AT_MOST_ONCE) {
                    out.putShort((short) pub.packetId());
                }
                out.put(pub.payload());
            }
            case PUBACK -> out.putShort((short) ((PubAck) p).packetId());
            case PUBREC -> out.putShort((short) ((PubRec) p).packetId());
            case PUBREL -> out.putShort((short) ((PubRel) p).packetId());
            case PUBCOMP -> out.putShort((short) ((PubComp) p).packetId());
            case UNSUBACK -> out.putShort((short) ((UnsubAck) p).packetId());
            case SUBSCRIBE -> {
                Subscribe s = (Subscribe) p;
                out.putShort((short) s.packetId());
                for (Subscribe.Subscription sub : s.subscriptions()) {
                    Wire.writeString(out, sub.filter());
                    out.put((byte) sub.qos().value());
                }
            }
            case SUBACK -> {
                SubAck s = (SubAck) p;
                out.putShort((short) s.packetId());
                List<SubAckReturnCode> codes = s.returnCodes();
                for (SubAckReturnCode code : codes) {
                    out.put((byte) code.value());
                }
            }
            case UNSUBSCRIBE -> {
                Unsubscribe u = (Unsubscribe) p;
                out.putShort((short) u.packetId());
                for (String f : u.filters()) {
                    Wire.writeString(out, f);
                }
            }
            case PINGREQ, PINGRESP, DISCONNECT, AUTH -> { }
        }
    }

    private static int publishFlags(Publish p) {
        return publishFlags(p.dup(), p.qos(), p.retain());
    }

    private static void writeConnect(ByteBuffer out, Connect c) {
        Wire.writeString(out, c.protocolName());
        out.put((byte) c.protocolLevel());
        Connect.Will will = c.will();
        int flags = (c.cleanSession() ? 0x02 : 0)
                | (will != null ? 0x04 | will.qos().value() << 3 | (will.retain() ? 0x20 : 0) : 0)
                | (c.password() != null ? 0x40 : 0)
                | (c.username() != null ? 0x80 : 0);
        out.put((byte) flags);
        out.putShort((short) c.keepAliveSeconds());
        Wire.writeString(out, c.clientId());
        if (will != null) {
            Wire.writeString(out, will.topic());
            Wire.writeBinary(out, will.payload());
        }
        if (c.username() != null) {
            Wire.writeString(out, c.username());
        }
        if (c.password() != null) {
            Wire.writeBinary(out, c.password());
        }
    }
}
