package io.gomq.launcher.cluster;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.gomq.launcher.auth.Authenticator;
import io.gomq.launcher.auth.PasswordHasher;
import io.gomq.launcher.tls.TlsFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credentials kept in etcd, as GoMQ did: {@code /gomq/<cluster>/users/<name>} holds the
 * PBKDF2 string {@link PasswordHasher} makes (e.g. written with
 * {@code etcdctl put /gomq/gomq/users/alice "$(gomqctl hash-password)"}). All users are read
 * once at start into a cache that a watch on the prefix keeps current (puts and deletes apply
 * within milliseconds); a CONNECT never waits for etcd.
 */
public final class EtcdAuthenticator implements Authenticator, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdAuthenticator.class);

    private final Client client;
    private final boolean ownsClient;
    private final EtcdKeys keys;
    private final boolean allowAnonymous;
    private final PasswordHasher hasher = new PasswordHasher();
    private final Map<String, io.gomq.launcher.auth.UserRecord> hashes = new ConcurrentHashMap<>();
    private final Watch.Watcher watcher;

    private EtcdAuthenticator(Client client, boolean ownsClient, String clusterName, boolean allowAnonymous,
                              EtcdStartupReads startup) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.keys = new EtcdKeys(clusterName);
        this.allowAnonymous = allowAnonymous;
        GetResponse all = startup.read("the users (" + keys.users().toString(StandardCharsets.UTF_8) + ")",
                () -> client.getKVClient().get(keys.users(), GetOption.builder().isPrefix(true).build()));
        for (KeyValue kv : all.getKvs()) {
            put(kv);
        }
        long from = all.getHeader().getRevision() + 1;
        watcher = client.getWatchClient().watch(keys.users(),
                WatchOption.builder().isPrefix(true).withRevision(from).build(),
                r -> r.getEvents().forEach(this::apply),
                e -> LOG.warn("users watch failed: {}", e.toString()));
        LOG.info("{} user(s) loaded from etcd {}", hashes.size(), keys.users().toString(StandardCharsets.UTF_8));
    }

    /** Uses {@code client} (not closed by {@link #close()}). */
    public static EtcdAuthenticator using(Client client, String clusterName, boolean allowAnonymous) {
        return using(client, clusterName, allowAnonymous, EtcdStartupReads.withDefaults());
    }

    /** Like {@link #using(Client, String, boolean)}, the first read retried as {@code startup} says. */
    public static EtcdAuthenticator using(Client client, String clusterName, boolean allowAnonymous,
                                          EtcdStartupReads startup) {
        return new EtcdAuthenticator(client, false, clusterName, allowAnonymous, startup);
    }

    /** Opens its own etcd client; {@code tls} as {@link EtcdClients#open} takes it. */
    public static EtcdAuthenticator connect(List<URI> endpoints, TlsFiles tls, String clusterName, boolean allowAnonymous) {
        Client c = EtcdClients.open(endpoints, tls);
        try {
            return new EtcdAuthenticator(c, true, clusterName, allowAnonymous,
                    new EtcdStartupReads(endpoints, io.gomq.launcher.config.LauncherDefaults.ETCD_STARTUP_TIMEOUT_MS));
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void apply(WatchEvent e) {
        if (e.getEventType() == WatchEvent.EventType.DELETE) {
            hashes.remove(keys.userName(e.getKeyValue().getKey()));
        } else if (e.getEventType() == WatchEvent.EventType.PUT) {
            put(e.getKeyValue());
        }
    }

    private void put(KeyValue kv) {
        String name = keys.userName(kv.getKey());
        io.gomq.launcher.auth.UserRecord user = io.gomq.launcher.auth.UserRecord.parse(kv.getValue().toString(StandardCharsets.UTF_8));
        if (user == null) {
            LOG.warn("etcd user {} has no valid {} hash (with an optional :admin): ignored", name, PasswordHasher.SCHEME);
            hashes.remove(name);
            return;
        }
        hashes.put(name, user);
    }

    /** Number of users currently known. */
    public int size() {
        return hashes.size();
    }

    @Override
    public boolean authenticate(String username, byte[] password) {
        if (username == null || password == null) {
            return false;
        }
        io.gomq.launcher.auth.UserRecord user = hashes.get(username);
        return hasher.verifyUser(password, user == null ? null : user.hash());
    }

    @Override
    public boolean isAdmin(String username) {
        io.gomq.launcher.auth.UserRecord user = username == null ? null : hashes.get(username);
        return user != null && user.isAdmin();
    }

    @Override
    public boolean allowsAnonymous() {
        return allowAnonymous;
    }

    @Override
    public void close() {
        watcher.close();
        if (ownsClient) {
            client.close();
        }
    }
}
