package io.gomq.core.session.store;

import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;

import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The durable part of one persistent session (clean-session=0), as the store saves it.
 *
 * @param subscriptions   topic filter -> granted QoS
 * @param committedOffset every log record below it has been delivered and acknowledged (or
 *                        is in {@code inflight}); a resumed session reads the log from here
 * @param inflight        packet id -> outgoing delivery awaiting its acknowledgement
 * @param inbound         packet id -> QoS 2 message received (PUBREC sent) but not yet released by PUBREL
 * @param expirySeconds   MQTT 5 Session Expiry Interval: how long the session outlives its
 *                        connection; {@link #NEVER} for an MQTT 3.1.1 persistent session
 * @param disconnectedAtMillis when its last connection ended, or -1 while connected (or unknown)
 * @param will            the will that goes out if the session's connection ends abnormally (or
 *                        ended so and waits for its delay); null when there is none
 * @param willDelaySeconds MQTT 5 Will Delay Interval of {@code will}
 * @param sharedOffsets   log offsets its shared subscription groups gave it, at or above
 *                        {@code committedOffset}: only this member delivers them
 */
public record SessionState(String clientId, Map<String, SubscriptionOptions> subscriptions, long committedOffset,
                           Map<Integer, InflightEntry> inflight, Map<Integer, Message> inbound,
                           long expirySeconds, long disconnectedAtMillis, Message will, long willDelaySeconds,
                           SortedSet<Long> sharedOffsets) {
    /** Session Expiry Interval 0xFFFFFFFF: the session does not expire. */
    public static final long NEVER = 0xFFFF_FFFFL;

    public SessionState {
        subscriptions = Map.copyOf(subscriptions);
        inflight = Map.copyOf(inflight);
        inbound = Map.copyOf(inbound);
        sharedOffsets = Collections.unmodifiableSortedSet(new TreeSet<>(sharedOffsets));
    }

    /** A session without shared messages waiting. */
    public SessionState(String clientId, Map<String, SubscriptionOptions> subscriptions, long committedOffset,
                        Map<Integer, InflightEntry> inflight, Map<Integer, Message> inbound,
                        long expirySeconds, long disconnectedAtMillis, Message will, long willDelaySeconds) {
        this(clientId, subscriptions, committedOffset, inflight, inbound, expirySeconds, disconnectedAtMillis, will,
                willDelaySeconds, new TreeSet<>());
    }

    /** A session without a stored will. */
    public SessionState(String clientId, Map<String, SubscriptionOptions> subscriptions, long committedOffset,
                        Map<Integer, InflightEntry> inflight, Map<Integer, Message> inbound,
                        long expirySeconds, long disconnectedAtMillis) {
        this(clientId, subscriptions, committedOffset, inflight, inbound, expirySeconds, disconnectedAtMillis, null, 0);
    }

    /** A session that never expires (MQTT 3.1.1 clean session 0). */
    public SessionState(String clientId, Map<String, SubscriptionOptions> subscriptions, long committedOffset,
                        Map<Integer, InflightEntry> inflight, Map<Integer, Message> inbound) {
        this(clientId, subscriptions, committedOffset, inflight, inbound, NEVER, -1);
    }

    public static SessionState empty(String clientId) {
        return new SessionState(clientId, Map.of(), 0, Map.of(), Map.of());
    }
}
