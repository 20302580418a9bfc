package io.gomq.launcher.auth;

import io.gomq.core.auth.Principal;
import io.gomq.core.auth.TopicAuthorizer;
import io.gomq.core.auth.TopicPermissions;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The ACL in force, swapped whole on reload: connections see the new rules at their next check
 * ({@link #version()} changes, their cached answers are dropped). Thread-safe.
 */
public final class ReloadableAcl implements TopicAuthorizer {
    private final AtomicLong version = new AtomicLong();
    private volatile AclRules rules;

    public ReloadableAcl(AclRules rules) {
        this.rules = rules;
    }

    /** Puts {@code next} in force; called off the event loops (a watcher, a signal, an etcd watch). */
    public void replace(AclRules next) {
        rules = next;
        version.incrementAndGet();
    }

    public AclRules rules() {
        return rules;
    }

    @Override
    public TopicPermissions permissionsOf(Principal principal) {
        return rules.permissionsOf(principal);
    }

    @Override
    public long version() {
        return version.get();
    }

    @Override
    public String toString() {
        return rules.toString();
    }
}
