package io.gomq.launcher.cluster;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.gomq.core.auth.Principal;
import io.gomq.core.auth.TopicAuthorizer;
import io.gomq.core.auth.TopicPermissions;
import io.gomq.launcher.auth.AclException;
import io.gomq.launcher.auth.AclRules;
import io.gomq.launcher.auth.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster's topic rules, kept in etcd next to its users: every key under
 * {@code /gomq/<cluster>/acl/} holds ACL lines (Mosquitto's acl_file syntax), and all keys
 * together, in key order, are the ACL. While no such key exists every topic is allowed, as
 * without --acl. A watch re-reads them at every change, so all nodes apply a change at once; a
 * change that does not parse is reported and the rules in force stay.
 *
 * <p>Thread rules: the watch runs on etcd's client threads, never on an event loop.
 */
public final class EtcdAcl implements TopicAuthorizer, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdAcl.class);

    private final Client client;
    private final boolean ownsClient;
    private final EtcdKeys keys;
    private final AtomicLong version = new AtomicLong();
    private final Watch.Watcher watcher;
    /** Null while etcd holds no ACL key: everything allowed. */
    private volatile AclRules rules;

    private EtcdAcl(Client client, boolean ownsClient, String clusterName, EtcdStartupReads startup) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.keys = new EtcdKeys(clusterName);
        long revision = apply(startup.read("the ACL (" + keys.acl().toString(StandardCharsets.UTF_8) + ")", this::readAll));
        watcher = client.getWatchClient().watch(keys.acl(),
                WatchOption.builder().isPrefix(true).withRevision(revision + 1).build(),
                r -> reloadQuietly(),
                e -> LOG.warn("ACL watch failed: {}", e.toString()));
    }

    /** Uses {@code client} (not closed by {@link #close()}); @throws ClusterException when etcd cannot be read */
    public static EtcdAcl using(Client client, String clusterName) {
        return using(client, clusterName, EtcdStartupReads.withDefaults());
    }

    /** Like {@link #using(Client, String)}, the first read retried as {@code startup} says. */
    public static EtcdAcl using(Client client, String clusterName, EtcdStartupReads startup) {
        return new EtcdAcl(client, false, clusterName, startup);
    }

    /** Opens its own etcd client; @throws ClusterException when etcd cannot be read or its ACL does not parse */
    public static EtcdAcl connect(List<URI> endpoints, String clusterName) {
        Client c = Client.builder().endpoints(endpoints.toArray(new URI[0])).build();
        try {
            return new EtcdAcl(c, true, clusterName,
                    new EtcdStartupReads(endpoints, io.gomq.launcher.config.LauncherDefaults.ETCD_STARTUP_TIMEOUT_MS));
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private java.util.concurrent.CompletableFuture<GetResponse> readAll() {
        return client.getKVClient().get(keys.acl(), GetOption.builder().isPrefix(true)
                .withSortField(GetOption.SortTarget.KEY).withSortOrder(GetOption.SortOrder.ASCEND).build());
    }

    /** Reads every ACL key (a watch saw a change); returns the revision read. */
    private long reload() {
        GetResponse all;
        try {
            all = readAll().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new ClusterException("cannot read the ACL from etcd", e);
        }
        return apply(all);
    }

    /** Puts the rules of {@code all} in force; returns its revision. */
    private long apply(GetResponse all) {
        String source = keys.acl().toString(StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        for (KeyValue kv : all.getKvs()) {
            lines.addAll(kv.getValue().toString(StandardCharsets.UTF_8).lines().toList());
        }
        AclRules next;
        try {
            next = all.getKvs().isEmpty() ? null : AclRules.parse(source, lines);
        } catch (AclException e) {
            throw new ClusterException(e.getMessage(), e);
        }
        rules = next;
        version.incrementAndGet();
        LOG.info("cluster ACL: {}", next == null ? "none in etcd (every topic allowed)" : next);
        return all.getHeader().getRevision();
    }

    private void reloadQuietly() {
        try {
            reload();
            AuditLog.aclReloaded(keys.acl().toString(StandardCharsets.UTF_8), rules == null ? 0 : rules.size(), null);
        } catch (ClusterException e) {
            LOG.error("cluster ACL not reloaded, the previous rules stay in force: {}", e.getMessage());
            AuditLog.aclReloaded(keys.acl().toString(StandardCharsets.UTF_8), -1, e.getMessage());
        }
    }

    @Override
    public TopicPermissions permissionsOf(Principal principal) {
        AclRules r = rules;
        return r == null ? TopicPermissions.ALL : r.permissionsOf(principal);
    }

    @Override
    public long version() {
        return version.get();
    }

    @Override
    public void close() {
        watcher.close();
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public String toString() {
        AclRules r = rules;
        return r == null ? "etcd ACL (none)" : r.toString();
    }
}
