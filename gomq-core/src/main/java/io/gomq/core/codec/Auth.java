package io.gomq.core.codec;

/**
 * AUTH (MQTT 5 only, section 3.15): one step of an extended authentication exchange, either way.
 * {@code reasonCode} is 0x00 Success, 0x18 Continue authentication or 0x19 Re-authenticate;
 * properties carry Authentication Method and Data, Reason String and User Property. Which method
 * and whether the exchange makes sense is the session's business, not the codec's.
 */
public record Auth(int reasonCode, PacketProperties properties) implements MqttPacket {
    public Auth {
        Acks.check(PacketType.AUTH, reasonCode, properties);
    }

    public Auth(ReasonCode reason, PacketProperties properties) {
        this(reason.value(), properties);
    }

    /** {@code reasonCode} as a {@link ReasonCode}. */
    public ReasonCode reason() {
        return ReasonCode.of(reasonCode, PacketType.AUTH);
    }

    @Override
    public PacketType type() {
        return PacketType.AUTH;
    }
}
