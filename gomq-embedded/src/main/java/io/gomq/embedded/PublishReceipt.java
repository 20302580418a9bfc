package io.gomq.embedded;

/**
 * What a completed publish tells: how many subscriber queues the message reached, and its
 * log offset ({@code -1} when it was not persisted).
 */
public record PublishReceipt(int subscribers, long offset) {
    public static final long NOT_PERSISTED = -1;

    public boolean persisted() {
        return offset != NOT_PERSISTED;
    }
}
