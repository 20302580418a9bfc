package io.gomq.core.codec;

import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * MQTT 3.1.1 encoder: stateless, static, thread-safe. Writes at {@code out.position()} and
 * advances it; when {@code out} has less room than the packet needs it throws
 * {@link BufferOverflowException} before writing anything. Invalid content that a record cannot
 * rule out (a string over 65,535 UTF-8 bytes, a lone surrogate, U+0000, a packet over the
 * 268,435,455-byte remaining-length limit) is an IllegalArgumentException: the caller's bug.
 *
 * <p>Deliveries use {@link #encodePublish(ByteBuffer, Message, int, boolean, Qos, boolean)}:
 * topic and payload go straight from the {@link Message} into {@code out}, with no record, no
 * payload copy and, for an ASCII topic, no allocation at all.
 */
public final class MqttEncoder {
    private MqttEncoder() {
    }

    /** The exact number of bytes {@link #encode(ByteBuffer, MqttPacket)} writes for {@code packet}. */
    public static int encodedSize(MqttPacket packet) {
        return packetSize(remainingLength(packet));
    }

    /** Encodes into a new heap buffer of the exact size, flipped and ready to read. */
    public static ByteBuffer encode(MqttPacket packet) {
        int remaining = remainingLength(packet);
        ByteBuffer out = ByteBuffer.allocate(packetSize(remaining));
        write(out, packet, remaining);
        return out.flip();
    }

    /** Encodes {@code packet} into {@code out} at its position. */
    public static void encode(ByteBuffer out, MqttPacket packet) {
        int remaining = remainingLength(packet);
        if (out.remaining() < packetSize(remaining)) {
            throw new BufferOverflowException();
        }
        write(out, packet, remaining);
    }

    /** Writes PUBACK, PUBREC, PUBREL, PUBCOMP or UNSUBACK for {@code packetId} without a record: 4 bytes. */
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
        return packetSize(publishRemainingLength(Utf8.encodedLength(m.topic()), qos, m.payloadSize()));
    }

    /**
     * Writes {@code m} as a PUBLISH with the given delivery attributes (the QoS granted to the
     * subscriber, not necessarily {@code m.qos()}). {@code packetId} is 0 for QoS 0, 1..65535
     * otherwise.
     */
    public static void encodePublish(ByteBuffer out, Message m, int packetId, boolean dup, Qos qos, boolean retain) {
        checkPublish(qos, packetId, dup);
        String topic = m.topic();
        int topicBytes = stringLength(topic);
        int remaining = publishRemainingLength(topicBytes, qos, m.payloadSize());
        if (out.remaining() < packetSize(remaining)) {
            throw new BufferOverflowException();
        }
        writeFixedHeader(out, PacketType.PUBLISH, publishFlags(dup, qos, retain), remaining);
        out.putShort((short) topicBytes);
        Utf8.write(out, topic);
        if (qos != Qos.AT_MOST_ONCE) {
            out.putShort((short) packetId);
        }
        m.writePayloadTo(out);
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
        return checkRemaining(2L + topicBytes + (qos == Qos.AT_MOST_ONCE ? 0 : 2) + payloadBytes);
    }

    private static int remainingLength(MqttPacket p) {
        return switch (p.type()) {
            case CONNECT -> connectRemainingLength((Connect) p);
            case PUBLISH -> {
                Publish pub = (Publish) p;
                yield publishRemainingLength(stringLength(pub.topic()), pub.qos(), pub.payload().length);
            }
            case CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK -> 2;
            case SUBSCRIBE -> {
                long n = 2;
                for (Subscribe.Subscription s : ((Subscribe) p).subscriptions()) {
                    n += 2L + stringLength(s.filter()) + 1;
                }
                yield checkRemaining(n);
            }
            case SUBACK -> checkRemaining(2L + ((SubAck) p).returnCodes().size());
            case UNSUBSCRIBE -> {
                long n = 2;
                for (String f : ((Unsubscribe) p).filters()) {
                    n += 2L + stringLength(f);
                }
                yield checkRemaining(n);
            }
            case PINGREQ, PINGRESP, DISCONNECT -> 0;
        };
    }

    private static int connectRemainingLength(Connect c) {
        long n = 2L + stringLength(c.protocolName()) + 1 + 1 + 2 + 2 + stringLength(c.clientId());
        if (c.will() != null) {
            n += 2L + stringLength(c.will().topic()) + 2 + binaryLength(c.will().payload());
        }
        if (c.username() != null) {
            n += 2L + stringLength(c.username());
        }
        if (c.password() != null) {
            n += 2L + binaryLength(c.password());
        }
        return checkRemaining(n);
    }

    private static void write(ByteBuffer out, MqttPacket p, int remaining) {
        PacketType type = p.type();
        int flags = type == PacketType.PUBLISH ? publishFlags((Publish) p) : type.requiredFlags();
        writeFixedHeader(out, type, flags, remaining);
        switch (type) {
            case CONNECT -> writeConnect(out, (Connect) p);
            case CONNACK -> {
                ConnAck a = (ConnAck) p;
                out.put((byte) (a.sessionPresent() ? 1 : 0)).put((byte) a.returnCode().value());
            }
            case PUBLISH -> {
                Publish pub = (Publish) p;
                writeString(out, pub.topic());
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
                    writeString(out, sub.filter());
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
                    writeString(out, f);
                }
            }
            case PINGREQ, PINGRESP, DISCONNECT -> { }
        }
    }

    private static int publishFlags(Publish p) {
        return publishFlags(p.dup(), p.qos(), p.retain());
    }

    private static void writeConnect(ByteBuffer out, Connect c) {
        writeString(out, c.protocolName());
        out.put((byte) c.protocolLevel());
        Connect.Will will = c.will();
        int flags = (c.cleanSession() ? 0x02 : 0)
                | (will != null ? 0x04 | will.qos().value() << 3 | (will.retain() ? 0x20 : 0) : 0)
                | (c.password() != null ? 0x40 : 0)
                | (c.username() != null ? 0x80 : 0);
        out.put((byte) flags);
        out.putShort((short) c.keepAliveSeconds());
        writeString(out, c.clientId());
        if (will != null) {
            writeString(out, will.topic());
            writeBinary(out, will.payload());
        }
        if (c.username() != null) {
            writeString(out, c.username());
        }
        if (c.password() != null) {
            writeBinary(out, c.password());
        }
    }

    private static void writeFixedHeader(ByteBuffer out, PacketType type, int flags, int remaining) {
        out.put((byte) (type.value() << 4 | flags));
        do {
            int digit = remaining & 0x7F;
            remaining >>>= 7;
            out.put((byte) (remaining > 0 ? digit | 0x80 : digit));
        } while (remaining > 0);
    }

    private static void writeString(ByteBuffer out, String s) {
        out.putShort((short) Utf8.encodedLength(s));
        Utf8.write(out, s);
    }

    private static void writeBinary(ByteBuffer out, byte[] bytes) {
        out.putShort((short) bytes.length);
        out.put(bytes);
    }

    private static int stringLength(String s) {
        int n = Utf8.encodedLength(s);
        if (n > 0xFFFF) {
            throw new IllegalArgumentException("MQTT strings hold at most 65535 UTF-8 bytes, this one has " + n);
        }
        return n;
    }

    private static int binaryLength(byte[] bytes) {
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("MQTT binary fields hold at most 65535 bytes, this one has " + bytes.length);
        }
        return bytes.length;
    }

    private static int checkRemaining(long remaining) {
        if (remaining > MqttDecoder.MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("packet body of " + remaining + " bytes exceeds MQTT's 268435455");
        }
        return (int) remaining;
    }

    private static int packetSize(int remaining) {
        return 1 + varintSize(remaining) + remaining;
    }

    private static int varintSize(int value) {
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }
}
