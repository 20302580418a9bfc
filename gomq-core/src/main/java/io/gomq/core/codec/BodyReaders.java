package io.gomq.core.codec;

import io.gomq.core.message.Qos;

import java.util.ArrayList;
import java.util.List;

/** Reads the MQTT 3.1.1 variable header and payload of each packet type; the fixed header is already checked. */
final class BodyReaders {
    private BodyReaders() {
    }

    static MqttPacket read(PacketReader r, int flags) {
        return switch (r.type()) {
            case CONNECT -> ConnectReader.readConnect(r);
            case CONNACK -> ConnectReader.readConnAck(r, false);
            case PUBLISH -> readPublish(r, flags);
            case PUBACK -> new PubAck(readAck(r));
            case PUBREC -> new PubRec(readAck(r));
            case PUBREL -> new PubRel(readAck(r));
            case PUBCOMP -> new PubComp(readAck(r));
            case SUBSCRIBE -> readSubscribe(r);
            case SUBACK -> readSubAck(r);
            case UNSUBSCRIBE -> readUnsubscribe(r);
            case UNSUBACK -> new UnsubAck(readAck(r));
            case PINGREQ -> empty(r, PingReq.INSTANCE);
            case PINGRESP -> empty(r, PingResp.INSTANCE);
            case DISCONNECT -> empty(r, Disconnect.INSTANCE);
            case AUTH -> throw new IllegalStateException("AUTH is rejected with the fixed header at level 4");
        };
    }

    private static Publish readPublish(PacketReader r, int flags) {
        Qos qos = Qos.of((flags >> 1) & 0x03); // QoS 3 was rejected with the fixed header
        String topic = r.readTopicName("topic name");
        int packetId = qos == Qos.AT_MOST_ONCE ? 0 : r.readPacketId();
        byte[] payload = r.readRest();
        return new Publish((flags & 0x08) != 0, qos, (flags & 0x01) != 0, topic, packetId, payload);
    }

    private static int readAck(PacketReader r) {
        int id = r.readPacketId();
        r.expectEnd();
        return id;
    }

    private static Subscribe readSubscribe(PacketReader r) {
        int packetId = r.readPacketId();
        List<Subscribe.Subscription> subscriptions = new ArrayList<>(4);
        while (r.hasRemaining()) {
            String filter = r.readString("topic filter"); // validity is the broker's call: SUBACK 0x80
            int options = r.readUnsignedByte("requested QoS");
            if ((options & 0xFC) != 0) {
                throw r.fail(DecodeError.RESERVED_BITS_SET, "SUBSCRIBE requested-QoS bits 7-2 must be 0 (MQTT-3.8.3-4), was 0x"
                        + Integer.toHexString(options));
            }
            if (options == 3) {
                throw r.fail(DecodeError.INVALID_QOS, "SUBSCRIBE requested QoS 3 for '" + filter + "'");
            }
            subscriptions.add(new Subscribe.Subscription(filter, Qos.of(options)));
        }
        if (subscriptions.isEmpty()) {
            throw r.fail(DecodeError.EMPTY_TOPIC_LIST, "SUBSCRIBE must carry at least one topic filter (MQTT-3.8.3-3)");
        }
        return new Subscribe(packetId, subscriptions);
    }

    private static SubAck readSubAck(PacketReader r) {
        int packetId = r.readPacketId();
        List<SubAckReturnCode> codes = new ArrayList<>(r.remaining());
        while (r.hasRemaining()) {
            int v = r.readUnsignedByte("return code");
            SubAckReturnCode code = SubAckReturnCode.ofValue(v);
            if (code == null) {
                throw r.fail(DecodeError.INVALID_RETURN_CODE, "SUBACK return code 0x" + Integer.toHexString(v) + " is reserved");
            }
            codes.add(code);
        }
        if (codes.isEmpty()) {
            throw r.fail(DecodeError.EMPTY_TOPIC_LIST, "SUBACK must carry at least one return code");
        }
        return new SubAck(packetId, codes);
    }

    private static Unsubscribe readUnsubscribe(PacketReader r) {
        int packetId = r.readPacketId();
        return new Unsubscribe(packetId, readFilters(r));
    }

    /** The topic filters of an UNSUBSCRIBE, up to the end of the packet: at least one. */
    static List<String> readFilters(PacketReader r) {
        List<String> filters = new ArrayList<>(4);
        while (r.hasRemaining()) {
            filters.add(r.readString("topic filter"));
        }
        if (filters.isEmpty()) {
            throw r.fail(DecodeError.EMPTY_TOPIC_LIST, "UNSUBSCRIBE must carry at least one topic filter (MQTT-3.10.3-2)");
        }
        return filters;
    }

    static MqttPacket empty(PacketReader r, MqttPacket instance) {
        r.expectEnd();
        return instance;
    }
}
