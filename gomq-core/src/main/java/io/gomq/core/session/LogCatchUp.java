package io.gomq.core.session;

import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.log.LogReader;
import io.gomq.core.log.LogRecord;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.topic.Topics;

import java.util.Map;
import java.util.Set;

/**
 * Reads a persistent session's messages from the log instead of its queue: after a restart,
 * and whenever its queue had to drop a persisted message (for QoS>=1 persistent sessions the
 * log is the buffer behind the bounded queue). Yields, in offset order, each record whose topic
 * matches a subscription at an effective QoS of 1 or 2 and that is not already in flight; the
 * session's own messages only through subscriptions without No Local (the log keeps the
 * publisher's id of a client that has one); and for its shared subscriptions the messages its
 * groups gave it ({@link AssignedShares}), never the other members' share.
 * Owner thread only.
 */
final class LogCatchUp implements AutoCloseable {
    private final LogReader reader;
    private final String clientId;
    private final Map<String, SubscriptionOptions> subscriptions;
    private final InflightWindow inflight;
    private final Set<Long> resentAtRestore;
    private final AssignedShares shares;
    private Message pending;

    /**
     * @param resentAtRestore offsets re-sent from the restored in-flight window: already
     *                        delivered in this incarnation even once acknowledged, so skipped
     */
    LogCatchUp(LogReader reader, String clientId, Map<String, SubscriptionOptions> subscriptions, InflightWindow inflight,
               Set<Long> resentAtRestore, AssignedShares shares) {
        this.shares = shares;
        this.reader = reader;
        this.clientId = clientId;
        this.subscriptions = subscriptions;
        this.inflight = inflight;
        this.resentAtRestore = resentAtRestore;
    }

    /** The next message to deliver, or null once the reader has reached the log's end. */
    Message peek() {
        if (pending == null) {
            pending = nextMatching();
        }
        return pending;
    }

    void take() {
        pending = null;
    }

    long position() {
        return reader.position();
    }

    private Message nextMatching() {
        LogRecord r;
        while ((r = reader.next()) != null) {
            Message m = r.message();
            if (inflight.containsOffset(r.offset()) || (!resentAtRestore.isEmpty() && resentAtRestore.remove(r.offset()))) {
                continue;
            }
            SubscriptionOptions granted = grantedFor(subscriptions, m.topic(), clientId.equals(m.origin()),
                    shares.take(r.offset()));
            if (granted == null || granted.qos() == Qos.AT_MOST_ONCE || m.qos() == Qos.AT_MOST_ONCE) {
                continue;
            }
            Message copy = m.withOffset(r.offset());
            copy = granted.retainAsPublished() ? copy : copy.withRetain(false);
            copy = copy.withQos(granted.qos());
            return granted.subscriptionId() == 0 ? copy : copy.withSubscriptionIds(new int[] {granted.subscriptionId()});
        }
        return null;
    }

    /**
     * The highest QoS granted by a subscription matching {@code topic}, with the options of that
     * subscription, or null if none matches. Shared subscriptions count only for a message the
     * group gave this member ({@code ownShare}): a shared member gets only its share. For the
     * session's own message ({@code own}) No Local subscriptions do not count.
     */
    static SubscriptionOptions grantedFor(Map<String, SubscriptionOptions> subscriptions, String topic, boolean own,
                                          boolean ownShare) {
        SubscriptionOptions best = null;
        for (Map.Entry<String, SubscriptionOptions> e : subscriptions.entrySet()) {
            String filter = e.getKey();
            boolean shared = Topics.isShared(filter);
            if ((shared ? ownShare && Topics.matches(Topics.sharedFilter(filter), topic)
                        : !(own && e.getValue().noLocal()) && Topics.matches(filter, topic))
                    && (best == null || e.getValue().qos().ordinal() > best.qos().ordinal())) {
                best = e.getValue();
            }
        }
        return best;
    }

    @Override
    public void close() {
        reader.close();
    }
}
