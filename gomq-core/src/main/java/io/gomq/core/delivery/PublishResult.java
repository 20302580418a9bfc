package io.gomq.core.delivery;

import io.gomq.core.log.LogAppend;

/**
 * The outcome of one publish: how many subscriber queues it reached (or, for a persisted message,
 * will reach once stored) and its log offset ({@code -1} when it was not persisted). A message
 * handed to the log's writer has a {@link #pending()} append: its offset is known, and it may be
 * acknowledged, once that completes. Results without an offset are shared constants.
 */
public final class PublishResult {
    private static final PublishResult[] NOT_PERSISTED = new PublishResult[64];

    static {
        for (int i = 0; i < NOT_PERSISTED.length; i++) {
            NOT_PERSISTED[i] = new PublishResult(i, -1, null);
        }
    }

    private final int subscribers;
    private final long offset;
    private final LogAppend pending;

    private PublishResult(int subscribers, long offset, LogAppend pending) {
        this.subscribers = subscribers;
        this.offset = offset;
        this.pending = pending;
    }

    /** A publish routed at once: {@code offset} is its log offset, or -1 when it was not persisted. */
    public static PublishResult of(int subscribers, long offset) {
        return offset < 0 && subscribers < NOT_PERSISTED.length ? NOT_PERSISTED[subscribers] : new PublishResult(subscribers, offset, null);
    }

    /** A publish handed to the log's writer. */
    public static PublishResult pending(int subscribers, LogAppend append) {
        return new PublishResult(subscribers, -1, append);
    }

    public int subscribers() {
        return subscribers;
    }

    /** The log offset: -1 when not persisted, or while the {@link #pending()} append has not completed. */
    public long offset() {
        return pending != null ? pending.offset() : offset;
    }

    /** Whether the message is (or is being) stored in the log. */
    public boolean persisted() {
        return pending != null || offset >= 0;
    }

    /** The append that completes once the message is durable (fails when the log refused it), or null. */
    public LogAppend pending() {
        return pending;
    }
}
