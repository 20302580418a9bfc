package io.gomq.core.auth;

/**
 * One principal's topic permissions under the rules in force when they were made. Immutable and
 * thread-safe; the caller caches answers (see {@link TopicGate}).
 */
public interface TopicPermissions {
    /** Everything allowed: in-process code without a principal, a broker without rules. */
    TopicPermissions ALL = new TopicPermissions() {
        @Override
        public boolean allows(Access access, String topic) {
            return true;
        }

        @Override
        public boolean allowsSubscribe(String filter) {
            return true;
        }
    };

    /** Whether {@code access} is allowed on {@code topic} (a topic name, no wildcards). */
    boolean allows(Access access, String topic);

    /**
     * Whether a SUBSCRIBE to {@code filter} (no {@code $share/} prefix) is granted. A granted
     * wildcard filter may still cover topics the principal may not read: those are filtered
     * per message at delivery.
     */
    boolean allowsSubscribe(String filter);
}
