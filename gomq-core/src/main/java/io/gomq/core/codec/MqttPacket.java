package io.gomq.core.codec;

/**
 * One MQTT control packet (3.1.1 or 5; AUTH is MQTT 5 only). Every implementation is an immutable record; the ones that
 * hold a {@code byte[]} own that array (neither copied on construction nor on access, so
 * neither the creator nor a reader may modify it) and compare it by content.
 */
public sealed interface MqttPacket
        permits Connect, ConnAck, Publish, PubAck, PubRec, PubRel, PubComp, Subscribe, SubAck,
                Unsubscribe, UnsubAck, PingReq, PingResp, Disconnect, Auth {

    PacketType type();
}
