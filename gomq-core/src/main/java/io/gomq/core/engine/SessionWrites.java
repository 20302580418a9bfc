package io.gomq.core.engine;

import io.gomq.core.queue.Pacer;
import io.gomq.core.session.store.LogSessionJournal;
import io.gomq.core.session.store.SessionStore;

import java.util.concurrent.CompletableFuture;

/**
 * Where persistent sessions' updates go to disk, off the caller's thread: the local
 * {@link SessionStore}'s writer, or, in a cluster, the log's writer ({@link LogSessionJournal}).
 * The transport holds a flush of packets that depend on an update (PUBREC, PUBCOMP, SUBACK,
 * CONNACK, a PUBLISH journaled as sent) until {@link #durable(String)} completes; nothing waits on
 * the caller's thread. Any thread.
 */
public final class SessionWrites {
    private final SessionStore store;
    private final LogSessionJournal logJournal;

    SessionWrites(SessionStore store, LogSessionJournal logJournal) {
        this.store = store;
        this.logJournal = logJournal;
    }

    /**
     * Completes once every session update so far is on disk (written; under FSYNC forced): at
     * once when it is, or without persistent sessions; else on the writer's thread.
     */
    public CompletableFuture<Void> durable() {
        if (logJournal != null) {
            return logJournal.newest();
        }
        return store == null ? AckGate.DONE : store.durable();
    }

    /**
     * Like {@link #durable()} for the updates of {@code clientId}'s session (null: none), what
     * that client's packets depend on: another session's slow update does not hold them.
     */
    public CompletableFuture<Void> durable(String clientId) {
        if (clientId == null) {
            return AckGate.DONE;
        }
        if (logJournal != null) {
            return logJournal.written(clientId);
        }
        return store == null ? AckGate.DONE : store.durable(clientId);
    }

    /** Paces {@code pacer}'s publisher while the session store's writer is far behind (see {@link SessionStore#pace}). */
    public void pace(Pacer pacer) {
        if (store != null) {
            store.pace(pacer);
        }
    }

    /** The session store, or null (memory-only, or a cluster node: sessions live in the log). */
    public SessionStore store() {
        return store;
    }
}
