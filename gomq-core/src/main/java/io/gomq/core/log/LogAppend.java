package io.gomq.core.log;

import io.gomq.core.message.Message;

import java.util.concurrent.CompletableFuture;

/**
 * One record handed to the log's writer ({@link MessageLog#appendAsync}), and the future that
 * completes once it is durable per the log's durability (under FSYNC: forced). The writer calls
 * {@link #onStored} first, on its own thread and in offset order, so a subclass can act on the
 * stored record in log order (the router fans a persisted message out to persistent sessions
 * there); then the future completes. A refused record (disk full, a deposed leader, a closed log)
 * completes exceptionally with the reason and was not stored.
 *
 * <p>Design note: the request and its future are one object, so a durable publish costs one
 * allocation besides the message.
 */
public abstract class LogAppend extends CompletableFuture<Void> {
    private final Message message;
    private volatile long offset = Message.NO_OFFSET;

    protected LogAppend(Message message) {
        this.message = message;
    }

    /** The record to append. */
    public final Message message() {
        return message;
    }

    /** The record's offset once stored; {@link Message#NO_OFFSET} before. */
    public final long offset() {
        return offset;
    }

    /** Writer thread, offset order: {@code stored} is the message with its offset, durable now. Must not block. */
    protected abstract void onStored(Message stored);

    /** Writer thread: stored and durable at {@code at}. */
    final void stored(long at) {
        offset = at;
        try {
            onStored(message.withOffset(at));
        } finally {
            complete(null);
        }
    }

    /** Writer thread (or a closing log): not stored. */
    final void refused(RuntimeException why) {
        completeExceptionally(why);
    }
}
