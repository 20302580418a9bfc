package io.gomq.core.delivery;

import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.session.Session;
import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.topic.Targets;
import io.gomq.core.topic.TopicTree;
import io.gomq.core.topic.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shared subscriptions ({@code $share/GROUP/FILTER}), for MQTT 5 and 3.1.1 clients alike: a
 * topic tree whose subscribers are {@link SharedGroup}s, so a publish finds the groups it
 * matches with the same cached, lock-free match as ordinary subscriptions, then each group
 * picks one member.
 *
 * <p>Thread rules: {@link #match} and {@link #pick} on any publisher thread; subscribe and
 * unsubscribe on the member session's owner thread.
 */
public final class SharedSubscriptions {
    private final TopicTree<SharedGroup> tree = new TopicTree<>();
    private final ConcurrentHashMap<String, SharedGroup> groups = new ConcurrentHashMap<>();
    private volatile int groupCount;

    /** Adds {@code session} to the group of {@code sharedFilter} (a valid {@code $share/GROUP/FILTER}). */
    public void subscribe(String sharedFilter, Session session, SubscriptionOptions options) {
        String group = Topics.shareGroup(sharedFilter);
        String filter = Topics.sharedFilter(sharedFilter);
        synchronized (this) {
            SharedGroup g = groups.computeIfAbsent(sharedFilter, k -> {
                SharedGroup created = new SharedGroup(group, filter);
                tree.subscribe(filter, created, Qos.EXACTLY_ONCE);
                return created;
            });
            g.put(session, options);
            groupCount = groups.size();
        }
    }

    /** Removes {@code session} from the group; returns whether it was a member. */
    public boolean unsubscribe(String sharedFilter, Session session) {
        synchronized (this) {
            SharedGroup g = groups.get(sharedFilter);
            if (g == null) {
                return false;
            }
            boolean member = false;
            for (SharedGroup.Member m : g.members()) {
                member |= m.session() == session;
            }
            if (g.remove(session)) {
                groups.remove(sharedFilter);
                tree.unsubscribe(g.filter, g);
                groupCount = groups.size();
            }
            return member;
        }
    }

    public boolean isEmpty() {
        return groupCount == 0;
    }

    /** The groups whose filter matches {@code topic}. */
    Targets<SharedGroup> match(String topic) {
        return tree.match(topic);
    }

    /** Whether any member of a matching group would need the log (persistent, QoS 1/2). */
    static boolean needsLog(Targets<SharedGroup> groups) {
        for (int i = 0; i < groups.size(); i++) {
            for (SharedGroup.Member m : groups.subscriber(i).members()) {
                if (!m.session().cleanSession() && m.options().qos() != Qos.AT_MOST_ONCE) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Hands what a leaving member still held (its in-flight and queued messages that matched one
     * of its shared subscriptions) to the other members of those groups. Returns the number
     * re-routed. Runs on the leaving session's owner thread.
     */
    public int handOver(Session leaving, java.util.Collection<String> filters, List<Message> held) {
        int moved = 0;
        List<SharedGroup> mine = new ArrayList<>();
        for (String f : filters) {
            SharedGroup g = Topics.isShared(f) ? groups.get(f) : null;
            if (g != null) {
                mine.add(g);
            }
        }
        for (Message m : held) {
            for (SharedGroup g : mine) {
                if (Topics.matches(g.filter, m.topic())) {
                    SharedGroup.Member to = g.pick(leaving);
                    if (to != null) {
                        Message copy = SharedDelivery.copyFor(m, to.options());
                        to.session().sharedAssigned(copy);
                        if (to.session().queue().offer(copy) == io.gomq.core.queue.OfferResult.DROPPED
                                && copy.persisted() && !to.session().cleanSession()) {
                            to.session().queueOverflowed(); // it reads its share from the log
                        }
                        moved++;
                    }
                    break;
                }
            }
        }
        return moved;
    }
}
