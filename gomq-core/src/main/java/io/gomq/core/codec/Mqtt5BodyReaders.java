package io.gomq.core.codec;

import io.gomq.core.message.Qos;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the MQTT 5 variable header and payload of each packet type (CONNECT is
 * {@link ConnectReader}'s, at any level); the fixed header is already checked.
 */
final class Mqtt5BodyReaders {
    private Mqtt5BodyReaders() {
    }

    /** {@code toClient}: the decoder runs in a client, so the packet came from a server. */
    static MqttPacket read(PacketReader r, int flags, boolean toClient) {
        return switch (r.type()) {
            case CONNECT -> ConnectReader.readConnect(r);
            case CONNACK -> ConnectReader.readConnAck(r, true);
            case PUBLISH -> readPublish(r, flags, toClient);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> readAck(r);
            case SUBSCRIBE -> readSubscribe(r);
            case SUBACK -> {
                int id = r.readPacketId();
                PacketProperties properties = PropertiesReader.readPacket(r);
                yield SubAck.v5(id, readReasonList(r), properties);
            }
            case UNSUBSCRIBE -> readUnsubscribe(r);
            case UNSUBACK -> {
                int id = r.readPacketId();
                PacketProperties properties = PropertiesReader.readPacket(r);
                yield new UnsubAck(id, readReasonList(r), properties);
            }
            case PINGREQ -> BodyReaders.empty(r, PingReq.INSTANCE);
            case PINGRESP -> BodyReaders.empty(r, PingResp.INSTANCE);
            case DISCONNECT -> {
                if (!r.hasRemaining()) {
                    yield Disconnect.INSTANCE; // remaining length 0: normal disconnection
                }
                yield new Disconnect(readReason(r), readOptionalProperties(r));
            }
            case AUTH -> r.hasRemaining() ? new Auth(readReason(r), readOptionalProperties(r)) : new Auth(0, PacketProperties.NONE);
        };
    }

    private static Publish readPublish(PacketReader r, int flags, boolean toClient) {
        Qos qos = Qos.of((flags >> 1) & 0x03); // QoS 3 was rejected with the fixed header
        String topic = r.readTopicNameOrEmpty("topic name");
        int packetId = qos == Qos.AT_MOST_ONCE ? 0 : r.readPacketId();
        PropertiesReader properties = PropertiesReader.readMessage(r, false, toClient);
        if (topic.isEmpty() && properties.topicAlias() == 0) {
            throw r.fail(DecodeError.EMPTY_TOPIC_WITHOUT_ALIAS, "PUBLISH with an empty topic name needs a Topic Alias");
        }
        byte[] payload = r.readRest();
        return new Publish((flags & 0x08) != 0, qos, (flags & 0x01) != 0, topic, packetId, payload,
                properties.messageProperties(), properties.topicAlias(), properties.subscriptionIds());
    }

    /** PUBACK, PUBREC, PUBREL, PUBCOMP: packet id, then reason code and properties, each optional (3.4.2). */
    private static MqttPacket readAck(PacketReader r) {
        int id = r.readPacketId();
        int reason = readReason(r);
        PacketProperties properties = readOptionalProperties(r);
        return switch (r.type()) {
            case PUBACK -> new PubAck(id, reason, properties);
            case PUBREC -> new PubRec(id, reason, properties);
            case PUBREL -> new PubRel(id, reason, properties);
            default -> new PubComp(id, reason, properties);
        };
    }

    /** The reason code after a packet id or as the first byte; absent (end of packet) means 0x00. */
    private static int readReason(PacketReader r) {
        if (!r.hasRemaining()) {
            return 0;
        }
        int v = r.readUnsignedByte("reason code");
        if (ReasonCode.of(v, r.type()) == null) {
            throw r.fail(DecodeError.INVALID_REASON_CODE, r.type() + " reason code 0x" + Integer.toHexString(v) + " is not valid");
        }
        return v;
    }

    /** Properties that may be left out when the packet ends after its reason code. */
    private static PacketProperties readOptionalProperties(PacketReader r) {
        PacketProperties properties = r.hasRemaining() ? PropertiesReader.readPacket(r) : PacketProperties.NONE;
        r.expectEnd();
        return properties;
    }

    private static List<ReasonCode> readReasonList(PacketReader r) {
        List<ReasonCode> codes = new ArrayList<>(r.remaining());
        while (r.hasRemaining()) {
            int v = r.readUnsignedByte("reason code");
            ReasonCode code = ReasonCode.of(v, r.type());
            if (code == null) {
                throw r.fail(DecodeError.INVALID_REASON_CODE, r.type() + " reason code 0x" + Integer.toHexString(v) + " is not valid");
            }
            codes.add(code);
        }
        if (codes.isEmpty()) {
            throw r.fail(DecodeError.EMPTY_TOPIC_LIST, r.type() + " must carry one reason code per topic filter");
        }
        return codes;
    }

    private static Subscribe readSubscribe(PacketReader r) {
        int packetId = r.readPacketId();
        PacketProperties properties = PropertiesReader.readPacket(r);
        List<Subscribe.Subscription> subscriptions = new ArrayList<>(4);
        while (r.hasRemaining()) {
            String filter = r.readString("topic filter"); // validity is the broker's call: SUBACK 0x8F
            int options = r.readUnsignedByte("subscription options");
            if ((options & 0xC0) != 0) {
                throw r.fail(DecodeError.RESERVED_BITS_SET, "SUBSCRIBE option bits 7-6 must be 0 (MQTT-3.8.3-5), was 0x"
                        + Integer.toHexString(options));
            }
            if ((options & 0x03) == 3) {
                throw r.fail(DecodeError.INVALID_QOS, "SUBSCRIBE maximum QoS 3 for '" + filter + "'");
            }
            int retainHandling = (options >> 4) & 0x03;
            if (retainHandling == 3) {
                throw r.fail(DecodeError.INVALID_RETAIN_HANDLING, "SUBSCRIBE Retain Handling 3 for '" + filter + "'");
            }
            subscriptions.add(new Subscribe.Subscription(filter, Qos.of(options & 0x03), (options & 0x04) != 0,
                    (options & 0x08) != 0, retainHandling));
        }
        if (subscriptions.isEmpty()) {
            throw r.fail(DecodeError.EMPTY_TOPIC_LIST, "SUBSCRIBE must carry at least one topic filter (MQTT-3.8.3-2)");
        }
        return new Subscribe(packetId, subscriptions, properties);
    }

    private static Unsubscribe readUnsubscribe(PacketReader r) {
        int packetId = r.readPacketId();
        PacketProperties properties = PropertiesReader.readPacket(r);
        return new Unsubscribe(packetId, BodyReaders.readFilters(r), properties);
    }
}
