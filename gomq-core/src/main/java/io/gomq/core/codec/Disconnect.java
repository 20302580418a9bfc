package io.gomq.core.codec;

/**
 * DISCONNECT. In MQTT 3.1.1 only a client sends it, with no fields (the decoder returns
 * {@link #INSTANCE}), and the server then discards the will. In MQTT 5 either side may send it,
 * with a {@link ReasonCode} valid on DISCONNECT (0x00 Normal disconnection; 0x04 asks the server
 * to publish the will) and properties (Session Expiry Interval, Reason String, Server Reference,
 * User Property).
 */
public record Disconnect(int reasonCode, PacketProperties properties) implements MqttPacket {
    /** The MQTT 3.1.1 DISCONNECT, and MQTT 5's normal disconnection without properties. */
    public static final Disconnect INSTANCE = new Disconnect();

    public Disconnect {
        Acks.check(PacketType.DISCONNECT, reasonCode, properties);
    }

    public Disconnect() {
        this(0, PacketProperties.NONE);
    }

    public Disconnect(ReasonCode reason, PacketProperties properties) {
        this(reason.value(), properties);
    }

    /** {@code reasonCode} as a {@link ReasonCode}. */
    public ReasonCode reason() {
        return ReasonCode.of(reasonCode, PacketType.DISCONNECT);
    }

    @Override
    public PacketType type() {
        return PacketType.DISCONNECT;
    }
}
