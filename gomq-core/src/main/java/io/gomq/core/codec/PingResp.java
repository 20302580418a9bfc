package io.gomq.core.codec;

/** PINGRESP: Answer to PINGREQ. It has no fields, so the decoder always returns {@link #INSTANCE}. */
public record PingResp() implements MqttPacket {
    public static final PingResp INSTANCE = new PingResp();

    @Override
    public PacketType type() {
        return PacketType.PINGRESP;
    }
}
