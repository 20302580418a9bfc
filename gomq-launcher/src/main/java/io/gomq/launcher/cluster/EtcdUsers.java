package io.gomq.launcher.cluster;

import io.gomq.launcher.auth.Authenticator;

import java.net.URI;
import java.util.List;

/**
 * The cluster's authenticator: the users in etcd ({@link EtcdAuthenticator}), with the same
 * rule as a standalone broker without a users file: while etcd holds no user at all, everyone
 * is accepted; once a user exists, credentials are checked and anonymous clients pass only
 * with allow-anonymous. Users added or deleted in etcd apply at once (the watch keeps the cache).
 */
public final class EtcdUsers implements Authenticator, AutoCloseable {
    private final EtcdAuthenticator users;

    private EtcdUsers(EtcdAuthenticator users) {
        this.users = users;
    }

    /** @throws ClusterException when etcd cannot be read */
    public static EtcdUsers connect(List<URI> endpoints, String clusterName, boolean allowAnonymous) {
        return new EtcdUsers(EtcdAuthenticator.connect(endpoints, clusterName, allowAnonymous));
    }

    @Override
    public boolean authenticate(String username, byte[] password) {
        return users.size() == 0 || users.authenticate(username, password);
    }

    @Override
    public boolean isAdmin(String username) {
        return users.isAdmin(username);
    }

    @Override
    public boolean allowsAnonymous() {
        return users.size() == 0 || users.allowsAnonymous();
    }

    /** Users currently known. */
    public int size() {
        return users.size();
    }

    @Override
    public void close() {
        users.close();
    }
}
