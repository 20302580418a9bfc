package io.gomq.core.codec;

import io.gomq.core.message.MessageProperties;
import io.gomq.core.message.Qos;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The MQTT 5 bodies (variable header and payload) of every packet. {@link #body} measures with a
 * null {@code out} and writes with a buffer, so size and bytes come from the same code.
 * Acknowledgements, DISCONNECT and AUTH take their shortest form: no reason code when it is
 * 0x00 without properties, no property length when there are none.
 */
final class Mqtt5Writer {
    private Mqtt5Writer() {
    }

    static int body(ByteBuffer out, MqttPacket p) {
        return switch (p.type()) {
            case CONNECT -> connect(out, (Connect) p);
            case CONNACK -> {
                ConnAck a = (ConnAck) p;
                yield Wire.u8(out, a.sessionPresent() ? 1 : 0) + Wire.u8(out, a.reasonCode())
                        + PropertiesWriter.packetBlock(out, a.properties());
            }
            case PUBLISH -> {
                Publish pub = (Publish) p;
                int n = Wire.string(out, pub.topic()) + (pub.qos() == Qos.AT_MOST_ONCE ? 0 : Wire.u16(out, pub.packetId()));
                n += PropertiesWriter.messageBlock(out, pub.properties(), pub.properties().messageExpirySeconds(),
                        pub.topicAlias(), pub.subscriptionIds(), 0);
                if (out != null) {
                    out.put(pub.payload());
                }
                yield n + pub.payload().length;
            }
            case PUBACK -> ack(out, ((PubAck) p).packetId(), ((PubAck) p).reasonCode(), ((PubAck) p).properties());
            case PUBREC -> ack(out, ((PubRec) p).packetId(), ((PubRec) p).reasonCode(), ((PubRec) p).properties());
            case PUBREL -> ack(out, ((PubRel) p).packetId(), ((PubRel) p).reasonCode(), ((PubRel) p).properties());
            case PUBCOMP -> ack(out, ((PubComp) p).packetId(), ((PubComp) p).reasonCode(), ((PubComp) p).properties());
            case SUBSCRIBE -> {
                Subscribe s = (Subscribe) p;
                int n = Wire.u16(out, s.packetId()) + PropertiesWriter.packetBlock(out, s.properties());
                for (Subscribe.Subscription sub : s.subscriptions()) {
                    n += Wire.string(out, sub.filter()) + Wire.u8(out, sub.optionsByte());
                }
                yield n;
            }
            case SUBACK -> {
                SubAck s = (SubAck) p;
                yield Wire.u16(out, s.packetId()) + PropertiesWriter.packetBlock(out, s.properties()) + codes(out, s.reasonCodes());
            }
            case UNSUBSCRIBE -> {
                Unsubscribe u = (Unsubscribe) p;
                int n = Wire.u16(out, u.packetId()) + PropertiesWriter.packetBlock(out, u.properties());
                for (String f : u.filters()) {
                    n += Wire.string(out, f);
                }
                yield n;
            }
            case UNSUBACK -> {
                UnsubAck u = (UnsubAck) p;
                if (u.reasonCodes().isEmpty()) {
                    throw new IllegalArgumentException("an MQTT 5 UNSUBACK needs one reason code per filter");
                }
                yield Wire.u16(out, u.packetId()) + PropertiesWriter.packetBlock(out, u.properties()) + codes(out, u.reasonCodes());
            }
            case PINGREQ, PINGRESP -> 0;
            case DISCONNECT -> reasonAndProperties(out, ((Disconnect) p).reasonCode(), ((Disconnect) p).properties());
            case AUTH -> reasonAndProperties(out, ((Auth) p).reasonCode(), ((Auth) p).properties());
        };
    }

    private static int connect(ByteBuffer out, Connect c) {
        Connect.Will will = c.will();
        int flags = (c.cleanSession() ? 0x02 : 0)
                | (will != null ? 0x04 | will.qos().value() << 3 | (will.retain() ? 0x20 : 0) : 0)
                | (c.password() != null ? 0x40 : 0)
                | (c.username() != null ? 0x80 : 0);
        int n = Wire.string(out, c.protocolName()) + Wire.u8(out, c.protocolLevel()) + Wire.u8(out, flags)
                + Wire.u16(out, c.keepAliveSeconds()) + PropertiesWriter.packetBlock(out, c.properties())
                + Wire.string(out, c.clientId());
        if (will != null) {
            MessageProperties wp = will.properties();
            n += PropertiesWriter.messageBlock(out, wp, wp.messageExpirySeconds(), 0, null, will.willDelaySeconds())
                    + Wire.string(out, will.topic()) + Wire.binary(out, will.payload());
        }
        if (c.username() != null) {
            n += Wire.string(out, c.username());
        }
        if (c.password() != null) {
            n += Wire.binary(out, c.password());
        }
        return n;
    }

    private static int ack(ByteBuffer out, int packetId, int reasonCode, PacketProperties properties) {
        return Wire.u16(out, packetId) + reasonAndProperties(out, reasonCode, properties);
    }

    /** Shortest form: nothing for 0x00 without properties, the code alone without properties, else both. */
    private static int reasonAndProperties(ByteBuffer out, int reasonCode, PacketProperties properties) {
        boolean none = properties.isEmpty();
        if (none && reasonCode == 0) {
            return 0;
        }
        return Wire.u8(out, reasonCode) + (none ? 0 : PropertiesWriter.packetBlock(out, properties));
    }

    private static int codes(ByteBuffer out, List<ReasonCode> codes) {
        if (out != null) {
            for (ReasonCode c : codes) {
                out.put((byte) c.value());
            }
        }
        return codes.size();
    }
}
