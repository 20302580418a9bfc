package io.gomq.core.codec;

import io.gomq.core.message.Qos;

/** A SUBACK return code (section 3.9.3): the QoS granted, or failure (0x80). */
public enum SubAckReturnCode {
    GRANTED_QOS_0(0x00),
    GRANTED_QOS_1(0x01),
    GRANTED_QOS_2(0x02),
    FAILURE(0x80);

    private final int value;

    SubAckReturnCode(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public boolean isFailure() {
        return this == FAILURE;
    }

    public static SubAckReturnCode granted(Qos qos) {
        return switch (qos) {
            case AT_MOST_ONCE -> GRANTED_QOS_0;
            case AT_LEAST_ONCE -> GRANTED_QOS_1;
            case EXACTLY_ONCE -> GRANTED_QOS_2;
        };
    }

    /** The code for a wire value, or null if MQTT 3.1.1 does not define it. */
    public static SubAckReturnCode ofValue(int value) {
        return switch (value) {
            case 0x00 -> GRANTED_QOS_0;
            case 0x01 -> GRANTED_QOS_1;
            case 0x02 -> GRANTED_QOS_2;
            case 0x80 -> FAILURE;
            default -> null;
        };
    }
}
