package io.gomq.core.log.session;

import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/** One session as {@link SessionStore} holds it in memory and {@link SessionFormat} decodes it; {@link #freeze} gives it out. */
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

    MutableSession(String clientId) {
        this.clientId = clientId;
    }

    SessionState freeze() {
        return new SessionState(clientId, subscriptions, committed, inflight, inbound, expirySeconds, disconnectedAtMillis, will,
                willDelaySeconds, sharedOffsets);
    }

    /** The read position moved to {@code offset}: shared messages below it are taken. */
    void commit(long offset) {
        committed = offset;
        if (!sharedOffsets.isEmpty()) {
            sharedOffsets.headSet(offset).clear();
        }
    }
}
