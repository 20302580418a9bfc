package io.gomq.core.codec;

import java.util.List;
import java.util.Objects;

/** Checks shared by the records that carry MQTT 5 reason codes and properties. */
final class Acks {
    private Acks() {
    }

    /** Throws IllegalArgumentException unless {@code reasonCode} and every property fit {@code type}. */
    static void check(PacketType type, int reasonCode, PacketProperties properties) {
        ReasonCode.require(reasonCode, type);
        checkProperties(type, properties);
    }

    static void checkProperties(PacketType type, PacketProperties properties) {
        Objects.requireNonNull(properties, "properties");
        PropertyId bad = properties.firstNotAllowedOn(type);
        if (bad != null) {
            throw new IllegalArgumentException(bad + " is not a " + type + " property");
        }
    }

    static List<ReasonCode> checkCodes(PacketType type, List<ReasonCode> codes) {
        List<ReasonCode> copy = List.copyOf(codes);
        for (ReasonCode c : copy) {
            if (!c.isValidOn(type)) {
                throw new IllegalArgumentException(c + " is not valid on " + type);
            }
        }
        return copy;
    }
}
