package io.gomq.core.session;

import io.gomq.core.session.store.SessionJournal;
import io.gomq.core.message.Message;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * QoS 2 messages received from this client and not yet released (GoMQ semantics: a QoS 2
 * message reaches subscribers on PUBREL, once, however often PUBLISH or PUBREL is re-sent).
 * Owner thread only; bounded: a client that exceeds the limit is misbehaving.
 */
public final class InboundQos2 {
    public enum Receipt { STORED, DUPLICATE, OVER_LIMIT }

    private final int limit;
    private final Map<Integer, Message> pending = new LinkedHashMap<>();
    /** Packet ids restored after a restart: their message may have been published just before it. */
    private final Set<Integer> restored = new HashSet<>();
    /** PUBRELs whose message the log's writer is storing: a re-sent PUBREL waits for the same one. Null while none. */
    private Map<Integer, CompletableFuture<Void>> releasing;
    private String clientId;
    private SessionJournal journal;

    public InboundQos2(int limit) {
        this.limit = limit;
    }

    /** Persistent sessions write each stored and released message to the journal. */
    void journal(String clientId, SessionJournal journal) {
        this.clientId = clientId;
        this.journal = journal;
    }

    /** Restores a message stored before a restart. */
    void restore(int packetId, Message message) {
        pending.put(packetId, message);
        restored.add(packetId);
    }

    /** The message pending under {@code packetId}, or null. */
    public Message pending(int packetId) {
        return pending.get(packetId);
    }

    /** Whether the message pending under {@code packetId} was stored before the last restart. */
    public boolean restored(int packetId) {
        return restored.contains(packetId);
    }

    /** PUBLISH QoS 2: store unless this packet id is already pending. Answer PUBREC either way. */
    public Receipt receive(int packetId, Message message) {
        if (pending.containsKey(packetId)) {
            return Receipt.DUPLICATE;
        }
        if (pending.size() >= limit) {
            return Receipt.OVER_LIMIT;
        }
        pending.put(packetId, message);
        if (journal != null) {
            journal.inboundStored(clientId, packetId, message);
        }
        return Receipt.STORED;
    }

    /**
     * PUBREL, once the message is published: forgets it (journaled). Returns it, or null when it
     * was already released (answer PUBCOMP either way).
     */
    public Message release(int packetId) {
        restored.remove(packetId);
        Message m = pending.remove(packetId);
        if (m != null && journal != null) {
            journal.inboundReleased(clientId, packetId);
        }
        return m;
    }

    /** The release of {@code packetId} that waits for the log's writer, or null. */
    public CompletableFuture<Void> releasing(int packetId) {
        return releasing == null ? null : releasing.get(packetId);
    }

    /** A release of {@code packetId} waits for the log's writer until {@link #released}. */
    public void releasing(int packetId, CompletableFuture<Void> release) {
        if (releasing == null) {
            releasing = new java.util.HashMap<>(4);
        }
        releasing.put(packetId, release);
    }

    /**
     * Completes when every release now waiting for the log's writer has ended, stored or refused
     * (owner thread). A hand-over to a new connection waits for it: the release is journaled on
     * the old owner's thread, which must be done with the session before the new one starts.
     */
    public CompletableFuture<Void> releasesSettled() {
        if (releasing == null) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.allOf(releasing.values().toArray(new CompletableFuture<?>[0])).handle((v, e) -> null);
    }

    /** The release of {@code packetId} no longer waits (stored, or refused: the client's next PUBREL tries again). */
    public void released(int packetId) {
        if (releasing != null && releasing.remove(packetId) != null && releasing.isEmpty()) {
            releasing = null;
        }
    }

    /** Whether a QoS 2 PUBLISH with {@code packetId} is stored and not yet released (a re-sent one is no new message). */
    public boolean holds(int packetId) {
        return pending.containsKey(packetId);
    }

    public int size() {
        return pending.size();
    }

    public Map<Integer, Message> snapshot() {
        return Map.copyOf(pending);
    }

    public void clear() {
        releasing = null;
        restored.clear();
        pending.clear();
    }
}
