package io.gomq.core.delivery;

/**
 * The outcome of one publish: how many subscriber queues it reached and its log offset
 * ({@code -1} when it was not persisted). Results without an offset are shared constants.
 */
public record PublishResult(int subscribers, long offset) {
    private static final PublishResult[] NOT_PERSISTED = new PublishResult[64];

    static {
        for (int i = 0; i < NOT_PERSISTED.length; i++) {
            NOT_PERSISTED[i] = new PublishResult(i, -1);
        }
    }

    public static PublishResult of(int subscribers, long offset) {
        return offset < 0 && subscribers < NOT_PERSISTED.length ? NOT_PERSISTED[subscribers] : new PublishResult(subscribers, offset);
    }

    public boolean persisted() {
        return offset >= 0;
    }
}
