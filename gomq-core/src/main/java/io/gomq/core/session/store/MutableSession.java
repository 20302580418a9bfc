package io.gomq.core.session.store;

import io.gomq.core.message.Message;
import io.gomq.core.topic.SubscriptionOptions;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * One session as the store holds it in memory and the formats decode it; {@link #freeze} gives it out.
 * Thread rules: guarded by the store's lock stripe of its client id, or by itself in the log journal
 * (or confined to the loading thread).
 */
final class MutableSession {
    final String clientId;
    final Map<String, SubscriptionOptions> subscriptions = new HashMap<>();
    long committed;
    final Map<Integer, InflightEntry> inflight = new HashMap<>();
    final Map<Integer, Message> inbound = new HashMap<>();
    long expirySeconds = SessionState.NEVER;
    long disconnectedAtMillis = -1;
    Message will;
    long willDelaySeconds;
    final TreeSet<Long> sharedOffsets = new TreeSet<>();
    /** Changes not yet written ({@link LogSessionJournal}, which writes whole states in batches). */
    boolean dirty;
    /** Among the unwritten changes one that a packet to the client depends on ({@link LogSessionJournal}). */
    boolean gatesPackets;
    /** When the newest record of this state was handed to the log ({@link LogSessionJournal}'s clock). */
    long writtenAtNanos;
    /** The store writer's ticket of this session's newest frame ({@link SessionStore}); read without the stripe. */
    volatile long ticket;

    MutableSession(String clientId) {
        this.clientId = clientId;
    }

    static MutableSession of(SessionState s) {
        MutableSession m = new MutableSession(s.clientId());
        m.subscriptions.putAll(s.subscriptions());
        m.committed = s.committedOffset();
        m.inflight.putAll(s.inflight());
        m.inbound.putAll(s.inbound());
        m.expirySeconds = s.expirySeconds();
        m.disconnectedAtMillis = s.disconnectedAtMillis();
        m.will = s.will();
        m.willDelaySeconds = s.willDelaySeconds();
        m.sharedOffsets.addAll(s.sharedOffsets());
        return m;
    }

    SessionState freeze() {
        return freeze(inbound);
    }

    /** The state without its incoming QoS 2 messages (the log journal keeps those as records of their own). */
    SessionState freezeWithoutInbound() {
        return freeze(Map.of());
    }

    private SessionState freeze(Map<Integer, Message> inboundMessages) {
        return new SessionState(clientId, subscriptions, committed, inflight, inboundMessages, expirySeconds,
                disconnectedAtMillis, will, willDelaySeconds, sharedOffsets);
    }

    /** The read position moved to {@code offset}: shared messages below it are taken. */
    void commit(long offset) {
        committed = offset;
        if (!sharedOffsets.isEmpty()) {
            sharedOffsets.headSet(offset).clear();
        }
    }
}
