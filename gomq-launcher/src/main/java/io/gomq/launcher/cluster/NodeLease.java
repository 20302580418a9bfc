package io.gomq.launcher.cluster;

import io.etcd.jetcd.Client;
import io.gomq.core.replication.ReplicationLeader;
import io.gomq.launcher.cluster.ClusterCoordinator.Event;
import io.gomq.launcher.cluster.ClusterNode.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.gomq.launcher.cluster.ClusterNode.now;

/**
 * The node's etcd lease: granted at registration, kept alive every TTL/4 with
 * {@code keepAliveOnce} on the "gomq-cluster-lease" thread. A leader that has had no keep-alive
 * answer for TTL minus a safety margin (or learns its lease is gone) is told to step down: this
 * class posts LEASE_LOST to the {@link ClusterCoordinator}, which does it.
 *
 * <p>Design note: our own keep-alive loop rather than jetcd's stream observer, because the
 * step-down deadline must be known exactly, not inferred from a stream that may just be slow.
 *
 * <p>Thread rules: keep-alives run on the lease thread and only read the coordinator's state and
 * post events to it; {@link #grant} and {@link #revoke} run on the coordinator thread, or while
 * the node starts or closes.
 */
final class NodeLease {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLease.class);

    private final ClusterSettings settings;
    private final Client etcd;
    private final ClusterCoordinator coordinator;
    private final ScheduledExecutorService keepAlive;
    private final long safetyMs;
    private volatile long id;
    private volatile long lastKeepAliveMs;
    private volatile boolean leadingWithoutEtcd;

    NodeLease(ClusterSettings settings, Client etcd, ClusterCoordinator coordinator) {
        this.settings = settings;
        this.etcd = etcd;
        this.coordinator = coordinator;
        this.safetyMs = Math.min(500, settings.leaseTtlMs() / 4);
        this.keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gomq-cluster-lease");
            t.setDaemon(true);
            return t;
        });
    }

    /** The lease id, 0 before the first grant. */
    long id() {
        return id;
    }

    long sinceKeepAliveMs() {
        return now() - lastKeepAliveMs;
    }

    /** Whether etcd confirmed the lease recently enough that it cannot have expired (the step-down margin). */
    boolean fresh() {
        return now() - lastKeepAliveMs <= settings.leaseTtlMs() - safetyMs;
    }

    /** A new lease of the configured TTL; the keep-alives go to it from now on. */
    void grant() throws Exception {
        id = etcd.getLeaseClient().grant(settings.leaseTtlSeconds()).get(5, TimeUnit.SECONDS).getID();
        lastKeepAliveMs = now();
    }

    /** Revokes the current lease (its keys go with it); throws if etcd does not answer in time. */
    void revoke(long timeoutMs) throws Exception {
        etcd.getLeaseClient().revoke(id).get(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Starts the keep-alives, every TTL/4. */
    void start() {
        long period = Math.max(100, settings.leaseTtlMs() / 4);
        keepAlive.scheduleWithFixedDelay(this::keepAliveOnce, period, period, TimeUnit.MILLISECONDS);
    }

    void stop() {
        keepAlive.shutdownNow();
    }

    private void keepAliveOnce() {
        if (coordinator.closed()) {
            return;
        }
        long id = this.id;
        boolean unreachable = false;
        try {
            long ttl = etcd.getLeaseClient().keepAliveOnce(id).get(settings.leaseTtlMs() / 2, TimeUnit.MILLISECONDS).getTTL();
            if (ttl > 0 && id == this.id) {
                lastKeepAliveMs = now();
            } else if (id == this.id) {
                LOG.warn("etcd lease {} has expired", Long.toHexString(id));
                coordinator.post(Event.LEASE_LOST);
                return;
            }
        } catch (Exception e) {
            LOG.debug("lease keep-alive failed: {}", e.toString());
            if (e.getCause() != null && String.valueOf(e.getCause().getMessage()).contains("requested lease not found")) {
                coordinator.post(Event.LEASE_LOST);
                return;
            }
            unreachable = true;
        }
        if (coordinator.role() == Role.LEADER && now() - lastKeepAliveMs > settings.leaseTtlMs() - safetyMs) {
            if (unreachable && membersFollow()) {
                if (!leadingWithoutEtcd) {
                    leadingWithoutEtcd = true;
                    LOG.warn("etcd unreachable for {} ms; still leading epoch {}: the members still follow",
                            now() - lastKeepAliveMs, coordinator.epoch());
                }
                return;
            }
            coordinator.post(Event.LEASE_LOST);
        } else if (leadingWithoutEtcd && !unreachable) {
            leadingWithoutEtcd = false;
            LOG.info("etcd reachable again; lease {} kept", Long.toHexString(id));
        }
    }

    /**
     * While etcd is unreachable a leader keeps leading as long as a member still replicates from it.
     * Design note: a member only switches leaders when etcd names a new one, so members still
     * replicating from this node show that it is the leader they know; without etcd nobody can be
     * elected, so stepping down would only turn an etcd outage into a broker outage. A leader cut
     * off from etcd and from every member steps down at the lease deadline as before. If etcd
     * comes back without the lease, the keep-alive says so and the node steps down and re-registers.
     */
    private boolean membersFollow() {
        ReplicationLeader l = coordinator.leader();
        if (l == null) {
            return false;
        }
        long fresh = Math.max(500, settings.leaseTtlMs() / 2);
        return l.members().stream().anyMatch(m -> m.connected() && m.sinceContactMs() <= fresh);
    }
}
