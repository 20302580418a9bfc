package io.gomq.core.codec;

/** PINGREQ: Keep-alive probe from the client. It has no fields, so the decoder always returns {@link #INSTANCE}. */
public record PingReq() implements MqttPacket {
    public static final PingReq INSTANCE = new PingReq();

    @Override
    public PacketType type() {
        return PacketType.PINGREQ;
    }
}
