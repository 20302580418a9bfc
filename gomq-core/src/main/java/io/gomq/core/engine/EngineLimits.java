package io.gomq.core.engine;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.message.Message;
import io.gomq.core.retained.RetainedStore;
import io.gomq.core.session.Session;
import io.gomq.core.topic.InvalidTopicException;
import io.gomq.core.topic.Topics;

/**
 * The engine's abuse limits: topic length and levels, subscriptions per session and retained
 * topics, each from a {@link BrokerConfig} setting and counted in {@link EngineMetrics} when it
 * refuses. They keep the topic tree and the retained store from growing without bound however a
 * client behaves (the tree holds at most max-sessions x max-subscriptions-per-session filters of
 * at most max-topic-levels levels). Thread-safe: reads the config and sizes only.
 */
final class EngineLimits {
    private final int maxLength;
    private final int maxLevels;
    private final int maxSubscriptions;
    private final int maxRetained;
    private final EngineMetrics metrics;

    EngineLimits(BrokerConfig config, EngineMetrics metrics) {
        this.maxLength = config.maxTopicLength();
        this.maxLevels = config.maxTopicLevels();
        this.maxSubscriptions = config.maxSubscriptionsPerSession();
        this.maxRetained = config.maxRetainedMessages();
        this.metrics = metrics;
    }

    /** Throws {@link InvalidTopicException} (counted) when a topic name or filter is too long or too deep. */
    void checkTopic(String topic, String what) {
        // each char is at most 3 UTF-8 bytes: most topics need no byte count
        if (topic.length() > maxLength || (topic.length() * 3 > maxLength && utf8Length(topic) > maxLength)) {
            metrics.refusedTopicLength.increment();
            throw new InvalidTopicException(what + " is longer than max-topic-length=" + maxLength + " bytes");
        }
        int levels = 1;
        for (int i = topic.indexOf(Topics.LEVEL_SEPARATOR); i >= 0; i = topic.indexOf(Topics.LEVEL_SEPARATOR, i + 1)) {
            if (++levels > maxLevels) {
                metrics.refusedTopicLevels.increment();
                throw new InvalidTopicException(what + " has more than max-topic-levels=" + maxLevels + " levels");
            }
        }
    }

    /** Whether the topic filter is within the limits; counts a refusal when not. */
    boolean allowsFilter(String filter) {
        try {
            checkTopic(filter, "topic filter");
            return true;
        } catch (InvalidTopicException e) {
            return false;
        }
    }

    /** Whether {@code session} may add {@code filter} (a filter it holds already is only replaced); counts a refusal. */
    boolean allowsSubscription(Session session, String filter) {
        if (session.subscriptions().size() < maxSubscriptions || session.subscriptions().containsKey(filter)) {
            return true;
        }
        metrics.refusedSubscriptions.increment();
        return false;
    }

    /**
     * Throws {@link RetainedLimitException} (counted) for a retained message that would add a topic
     * to a full store. Replacing or deleting a retained message is always allowed. Concurrent
     * publishers may each pass the check at once: the store can overshoot by one message per
     * publishing thread, never more.
     */
    void checkRetained(Message m, RetainedStore retained) {
        if (maxRetained > 0 && m.retain() && !m.isEmptyPayload() && retained.size() >= maxRetained
                && retained.get(m.topic()) == null) {
            metrics.refusedRetained.increment();
            throw new RetainedLimitException(maxRetained);
        }
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
