package io.gomq.client;

/** MQTT delivery guarantee; {@link #level()} is the wire value. */
public enum Qos {
    /** QoS 0: delivered at most once, never acknowledged. */
    AT_MOST_ONCE,
    /** QoS 1: delivered at least once, acknowledged by the receiver. */
    AT_LEAST_ONCE,
    /** QoS 2: delivered exactly once (a two-step acknowledgement). */
    EXACTLY_ONCE;

    private static final Qos[] LEVELS = values();

    /** {@return the MQTT level: 0, 1 or 2} */
    public int level() {
        return ordinal();
    }

    /**
     * The QoS of an MQTT level.
     *
     * @param level 0, 1 or 2
     * @return the QoS
     * @throws IllegalArgumentException for any other number
     */
    public static Qos of(int level) {
        if (level < 0 || level > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2, was " + level);
        }
        return LEVELS[level];
    }
}
