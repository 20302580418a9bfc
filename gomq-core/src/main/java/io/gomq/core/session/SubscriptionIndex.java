package io.gomq.core.session;

import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.topic.TopicTree;

/**
 * Where the registry enters a session's subscriptions so that publishers find it: the topic
 * tree, and, in the engine, the shared-subscription groups for {@code $share/} filters.
 */
public interface SubscriptionIndex {
    void subscribe(String filter, Session session, SubscriptionOptions options);

    /** Returns whether the subscription existed. */
    boolean unsubscribe(String filter, Session session);

    /** Ordinary subscriptions only: every filter goes to {@code tree}. */
    static SubscriptionIndex of(TopicTree<Session> tree) {
        return new SubscriptionIndex() {
            @Override
            public void subscribe(String filter, Session session, SubscriptionOptions options) {
                tree.subscribe(filter, session, options);
            }

            @Override
            public boolean unsubscribe(String filter, Session session) {
                return tree.unsubscribe(filter, session);
            }
        };
    }
}
