package io.gomq.core.codec;

/** The CONNACK return codes of MQTT 3.1.1 (section 3.2.2.3); the ordinal equals the wire value. */
public enum ConnectReturnCode {
    ACCEPTED,
    UNACCEPTABLE_PROTOCOL_VERSION,
    IDENTIFIER_REJECTED,
    SERVER_UNAVAILABLE,
    BAD_USERNAME_OR_PASSWORD,
    NOT_AUTHORIZED;

    private static final ConnectReturnCode[] VALUES = values();

    public int value() {
        return ordinal();
    }

    /** The code for a wire value, or null if MQTT 3.1.1 does not define it (6..255 are reserved). */
    public static ConnectReturnCode ofValue(int value) {
        return value >= 0 && value < VALUES.length ? VALUES[value] : null;
    }
}
