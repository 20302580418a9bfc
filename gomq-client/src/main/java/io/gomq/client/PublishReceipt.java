package io.gomq.client;

/**
 * What a completed publish tells: how many subscriber queues the message reached, and its
 * log offset ({@code -1} when it was not persisted, or when the broker does not say: a remote
 * broker reports neither, see {@link #UNKNOWN}).
 *
 * @param subscribers the subscriber queues the message reached, or {@link #UNKNOWN}
 * @param offset      its offset in the log, or {@link #NOT_PERSISTED}
 */
public record PublishReceipt(int subscribers, long offset) {
    /** The offset of a message that was not written to the log (or whose offset is not known). */
    public static final long NOT_PERSISTED = -1;
    /** The subscriber count of a receipt from a remote broker, which MQTT does not report. */
    public static final int UNKNOWN = -1;

    /** {@return whether the message is known to be written to the log} */
    public boolean persisted() {
        return offset != NOT_PERSISTED;
    }
}
