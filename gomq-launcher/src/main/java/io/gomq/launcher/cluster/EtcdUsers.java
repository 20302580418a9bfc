package io.gomq.launcher.cluster;

import io.gomq.launcher.auth.Authenticator;
import io.gomq.launcher.tls.TlsFiles;

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

    /**
     * @param tls etcd TLS files, or null
     * @throws ClusterException when etcd cannot be read
     */
    public static EtcdUsers connect(List<URI> endpoints, TlsFiles tls, String clusterName, boolean allowAnonymous) {
        return new EtcdUsers(EtcdAuthenticator.connect(endpoints, tls, clusterName, allowAnonymous));
    }

    /**
     * Uses {@code client} (not closed by {@link #close()}).
     *
     * @throws ClusterException when etcd cannot be read
     */
    public static EtcdUsers using(io.etcd.jetcd.Client client, String clusterName, boolean allowAnonymous) {
        return new EtcdUsers(EtcdAuthenticator.using(client, clusterName, allowAnonymous));
    }

    /**
     * Like {@link #using(io.etcd.jetcd.Client, String, boolean)}, the first read retried as {@code startup} says.
     *
     * @throws ClusterException when etcd refused, or did not answer within {@code startup}'s bound
     */
    public static EtcdUsers using(io.etcd.jetcd.Client client, String clusterName, boolean allowAnonymous,
                                  EtcdStartupReads startup) {
        return new EtcdUsers(EtcdAuthenticator.using(client, clusterName, allowAnonymous, startup));
    }

    @Override
    public boolean authenticate(String username, byte[] password) {
        return users.size() == 0 || users.authenticate(username, password);
    }

    @Override
    public boolean isAdmin(String username) {
        // no users in etcd: everyone is let in (see authenticate), and everyone administers
        return users.size() == 0 || (username != null && users.isAdmin(username));
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
