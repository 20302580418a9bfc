package io.gomq.core.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One principal's topic checks with their answers cached: a session reading thousands of
 * messages on a few topics evaluates the rules once per topic, not once per message. The cache
 * is bounded ({@link #CACHE_ENTRIES} per access, least recently used out) and emptied when the
 * authorizer's rules change, so a reload applies to live connections at their next message.
 *
 * <p>Thread rules: one thread at a time, the session's owner thread (the connection's event loop
 * or an in-process consumer's executor). Only {@link #principal()} may be read from any thread.
 */
public final class TopicGate {
    /** Distinct topics remembered per access: enough for a device's topics, bounded for a wildcard reader. */
    public static final int CACHE_ENTRIES = 1024;

    /**
     * Told of every refusal (metrics); {@code firstTime} once per topic, action and rules version
     * (an audit line per decision, not per message).
     */
    public interface DenialListener {
        /** @param action "publish", "subscribe" or "receive" */
        void denied(Principal principal, String action, String topic, boolean firstTime);
    }

    public static final String PUBLISH = "publish";
    public static final String SUBSCRIBE = "subscribe";
    public static final String RECEIVE = "receive";

    private final TopicAuthorizer authorizer;
    private final Principal principal;
    private final DenialListener listener;
    private final Map<String, Boolean> reads = lru();
    private final Map<String, Boolean> writes = lru();
    private long version;
    private TopicPermissions permissions;

    /** @param listener told of refusals; may be null */
    public TopicGate(TopicAuthorizer authorizer, Principal principal, DenialListener listener) {
        this.authorizer = authorizer;
        this.principal = principal;
        this.listener = listener;
        this.version = authorizer.version();
        this.permissions = authorizer.permissionsOf(principal);
    }

    public Principal principal() {
        return principal;
    }

    /** May the principal receive a message on {@code topic}? */
    public boolean mayRead(String topic) {
        return check(reads, Access.READ, topic);
    }

    /** May the principal publish to {@code topic}? */
    public boolean mayWrite(String topic) {
        return check(writes, Access.WRITE, topic);
    }

    /** Is a SUBSCRIBE to {@code filter} ({@code $share/GROUP/} already removed) granted? Not cached: SUBSCRIBE is rare. */
    public boolean maySubscribe(String filter) {
        boolean ok = current().allowsSubscribe(filter);
        if (!ok) {
            refused(SUBSCRIBE, filter, true);
        }
        return ok;
    }

    private boolean check(Map<String, Boolean> cache, Access access, String topic) {
        TopicPermissions p = current();
        Boolean known = cache.get(topic);
        if (known != null) {
            if (!known) {
                refused(action(access), topic, false);
            }
            return known;
        }
        boolean ok = p.allows(access, topic);
        cache.put(topic, ok);
        if (!ok) {
            refused(action(access), topic, true);
        }
        return ok;
    }

    private TopicPermissions current() {
        long v = authorizer.version();
        if (v != version) {
            version = v;
            permissions = authorizer.permissionsOf(principal);
            reads.clear();
            writes.clear();
        }
        return permissions;
    }

    private void refused(String action, String topic, boolean firstTime) {
        if (listener != null) {
            listener.denied(principal, action, topic, firstTime);
        }
    }

    private static String action(Access access) {
        return access == Access.READ ? RECEIVE : PUBLISH;
    }

    private static Map<String, Boolean> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > CACHE_ENTRIES;
            }
        };
    }
}
