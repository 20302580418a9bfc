package io.gomq.core.auth;

/**
 * Decides topic permissions. Thread-safe. The rules may change while the broker runs (a reload):
 * then {@link #version()} changes and holders of older {@link TopicPermissions} ask again, so a
 * live subscription to a topic that became unreadable stops receiving it.
 *
 * <p>A broker without an authorizer (null) checks nothing: that is the fast path, with no
 * per-message cost at all.
 */
public interface TopicAuthorizer {
    /** The permissions of {@code principal} under the rules in force now. */
    TopicPermissions permissionsOf(Principal principal);

    /** Changes whenever the rules change; cached permissions of an older version are stale. */
    long version();
}
