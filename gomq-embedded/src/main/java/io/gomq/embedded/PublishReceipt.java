package io.gomq.embedded;

/**
 * What a completed publish tells: how many subscriber queues the message reached, and its
 * log offset ({@code -1} when it was not persisted).
 *
 * @param subscribers the subscriber queues the message reached
 * @param offset      its offset in the log, or {@link #NOT_PERSISTED}
 */
public record PublishReceipt(int subscribers, long offset) {
    /** The offset of a message that was not written to the log. */
    public static final long NOT_PERSISTED = -1;

    /** {@return whether the message was written to the log} */
    public boolean persisted() {
        return offset != NOT_PERSISTED;
    }
}
