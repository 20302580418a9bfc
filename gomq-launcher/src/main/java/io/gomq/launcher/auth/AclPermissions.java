package io.gomq.launcher.auth;

import io.gomq.core.auth.Access;
import io.gomq.core.auth.TopicPermissions;
import io.gomq.core.topic.FilterOverlap;
import io.gomq.core.topic.Topics;

import java.util.List;

/**
 * One principal's rules with {@code %u}/{@code %c} already substituted. What no rule grants is
 * denied, and a {@code deny} rule beats every grant (Mosquitto's order: deny rules first).
 * A SUBSCRIBE is refused when a deny rule covers its whole filter or no read rule meets it;
 * otherwise it is granted and each message is checked at delivery.
 */
final class AclPermissions implements TopicPermissions {
    private final List<String> denies;
    private final List<String> reads;
    private final List<String> writes;

    AclPermissions(List<String> denies, List<String> reads, List<String> writes) {
        this.denies = List.copyOf(denies);
        this.reads = List.copyOf(reads);
        this.writes = List.copyOf(writes);
    }

    @Override
    public boolean allows(Access access, String topic) {
        for (String d : denies) {
            if (Topics.matches(d, topic)) {
                return false;
            }
        }
        for (String g : access == Access.READ ? reads : writes) {
            if (Topics.matches(g, topic)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean allowsSubscribe(String filter) {
        for (String d : denies) {
            if (FilterOverlap.covers(d, filter)) {
                return false;
            }
        }
        for (String r : reads) {
            if (FilterOverlap.intersects(r, filter)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "deny " + denies + ", read " + reads + ", write " + writes;
    }
}
