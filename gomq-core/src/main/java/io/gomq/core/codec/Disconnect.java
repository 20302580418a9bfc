package io.gomq.core.codec;

/** DISCONNECT: Clean disconnect from the client: the server discards the will. It has no fields, so the decoder always returns {@link #INSTANCE}. */
public record Disconnect() implements MqttPacket {
    public static final Disconnect INSTANCE = new Disconnect();

    @Override
    public PacketType type() {
        return PacketType.DISCONNECT;
    }
}
