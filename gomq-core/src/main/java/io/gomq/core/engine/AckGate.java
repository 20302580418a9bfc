package io.gomq.core.engine;

import java.util.concurrent.CompletableFuture;

/**
 * When an acknowledgement of a persisted message may leave: a PUBACK / PUBREC, the embedded
 * publish future, an HTTP 200. Standalone the log append is enough ({@link #IMMEDIATE}); in a
 * cluster the launcher installs a gate that completes once enough members hold the offset.
 *
 * <p>Design note: a future per acknowledgement rather than a blocking call, so that the
 * transport never blocks its event loop: it writes the PUBACK on the loop when the future
 * completes. A failed future means "never acknowledge" (the node stepped down): the caller
 * closes the connection and the client re-sends to the new leader.
 *
 * <p>Thread rules: {@link #whenDurable} is called from any thread (event loops, producers);
 * futures may complete on any thread, so callers hop back to their own.
 */
@FunctionalInterface
public interface AckGate {
    /** The completed future the standalone gate hands out (shared, never fails). */
    CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** Standalone: a message is acknowledged once it is in the local log. */
    AckGate IMMEDIATE = offset -> DONE;

    /** Completes when the record at {@code offset} may be acknowledged; fails when it never may. */
    CompletableFuture<Void> whenDurable(long offset);
}
