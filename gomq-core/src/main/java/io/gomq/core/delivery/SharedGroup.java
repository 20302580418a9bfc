package io.gomq.core.delivery;

import io.gomq.core.session.Session;
import io.gomq.core.topic.SubscriptionOptions;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The members of one shared subscription {@code $share/GROUP/FILTER}: each message matching
 * FILTER goes to one of them. Members are replaced copy-on-write (subscribe and unsubscribe are
 * rare), so a publisher picks without a lock.
 *
 * <p>Design note: the pick is round robin over the members that are online and not congested,
 * falling back to the least loaded online member, then to a persistent offline member (whose
 * queue, and the log behind it, keep the message until it returns). A message thus waits for
 * an absent member only when no member is present, as a Kafka consumer group partition would.
 */
final class SharedGroup {
    private static final Member[] NONE = new Member[0];

    final String group;
    final String filter;
    private volatile Member[] members = NONE;
    private final AtomicInteger next = new AtomicInteger();

    record Member(Session session, SubscriptionOptions options) {
    }

    SharedGroup(String group, String filter) {
        this.group = group;
        this.filter = filter;
    }

    synchronized void put(Session session, SubscriptionOptions options) {
        Member[] old = members;
        for (int i = 0; i < old.length; i++) {
            if (old[i].session() == session) {
                Member[] copy = old.clone();
                copy[i] = new Member(session, options);
                members = copy;
                return;
            }
        }
        Member[] copy = Arrays.copyOf(old, old.length + 1);
        copy[old.length] = new Member(session, options);
        members = copy;
    }

    /** Returns true when the group has no member left. */
    synchronized boolean remove(Session session) {
        Member[] old = members;
        for (int i = 0; i < old.length; i++) {
            if (old[i].session() == session) {
                Member[] copy = new Member[old.length - 1];
                System.arraycopy(old, 0, copy, 0, i);
                System.arraycopy(old, i + 1, copy, i, old.length - i - 1);
                members = copy;
                break;
            }
        }
        return members.length == 0;
    }

    Member[] members() {
        return members;
    }

    /**
     * The member the next message goes to, never {@code except}; null when there is none. Any
     * thread.
     */
    Member pick(Session except) {
        Member[] m = members;
        int n = m.length;
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(next.getAndIncrement(), n);
        Member leastLoaded = null;
        Member offline = null;
        for (int k = 0; k < n; k++) {
            Member c = m[(start + k) % n];
            Session s = c.session();
            if (s == except) {
                continue;
            }
            if (!s.isOnline()) {
                if (offline == null && !s.cleanSession()) {
                    offline = c;
                }
                continue;
            }
            if (!s.queue().isCongested()) {
                return c;
            }
            if (leastLoaded == null || s.queue().size() < leastLoaded.session().queue().size()) {
                leastLoaded = c;
            }
        }
        return leastLoaded != null ? leastLoaded : offline;
    }
}
