package io.gomq.launcher.cluster;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.gomq.launcher.config.LauncherDefaults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The reads a starting cluster node cannot do without (its users, its ACL), retried while etcd
 * does not answer: etcd may start after the node, restart, or be electing a leader. Each attempt
 * waits up to {@link #ATTEMPT_MILLIS}; between attempts the node waits 200 ms, doubled up to
 * {@link #MAX_BACKOFF_MILLIS}, and logs the attempt. Past the bound ({@code etcd-startup-timeout-ms})
 * the start fails with the endpoints named. An answer that is a refusal (permission denied, bad
 * credentials) is not retried: waiting does not change it.
 *
 * <p>Thread rules: blocks the starting thread (never an event loop).
 */
public final class EtcdStartupReads {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdStartupReads.class);
    static final long ATTEMPT_MILLIS = 5_000;
    static final long FIRST_BACKOFF_MILLIS = 200;
    static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final Set<ErrorCode> REFUSALS = Set.of(ErrorCode.PERMISSION_DENIED, ErrorCode.UNAUTHENTICATED,
            ErrorCode.INVALID_ARGUMENT);

    private final List<URI> endpoints;
    private final long boundMillis;

    /** {@code endpoints}: named in the log and the failure; {@code boundMillis}: how long to retry. */
    public EtcdStartupReads(List<URI> endpoints, long boundMillis) {
        this.endpoints = List.copyOf(endpoints);
        this.boundMillis = boundMillis;
    }

    /** Endpoints unknown to the caller (a client it was given), with the default bound. */
    static EtcdStartupReads withDefaults() {
        return new EtcdStartupReads(List.of(), LauncherDefaults.ETCD_STARTUP_TIMEOUT_MS);
    }

    /**
     * The answer of {@code request} (a new request per attempt), e.g. {@code "users"} for
     * {@code what}.
     *
     * @throws ClusterException when etcd refused, or gave no answer within the bound
     */
    public <T> T read(String what, Supplier<CompletableFuture<T>> request) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(boundMillis);
        long backoff = FIRST_BACKOFF_MILLIS;
        for (int attempt = 1; ; attempt++) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            CompletableFuture<T> answer = request.get();
            Throwable failure;
            try {
                T value = answer.get(Math.max(1, Math.min(ATTEMPT_MILLIS, left)), TimeUnit.MILLISECONDS);
                if (attempt > 1) {
                    LOG.info("read {} from etcd at {} at attempt {}", what, where(), attempt);
                }
                return value;
            } catch (InterruptedException e) {
                answer.cancel(true);
                Thread.currentThread().interrupt();
                throw new ClusterException("interrupted while reading " + what + " from etcd at " + where(), e);
            } catch (ExecutionException e) {
                failure = e.getCause() == null ? e : e.getCause();
            } catch (TimeoutException e) {
                answer.cancel(true);
                failure = e;
            }
            if (isRefusal(failure)) {
                throw new ClusterException("etcd at " + where() + " refused to read " + what + ": " + reason(failure), failure);
            }
            left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new ClusterException("cannot read " + what + " from etcd at " + where() + ": no answer after "
                        + attempt + " attempts in " + boundMillis + " ms (etcd-startup-timeout-ms); last: "
                        + reason(failure), failure);
            }
            long wait = Math.min(backoff, left);
            LOG.warn("cannot read {} from etcd at {} (attempt {}: {}); retrying in {} ms, for up to {} ms more",
                    what, where(), attempt, reason(failure), wait, left);
            sleep(wait, what);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    private static boolean isRefusal(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof EtcdException e && REFUSALS.contains(e.getErrorCode())) {
                return true;
            }
        }
        return false;
    }

    private static String reason(Throwable t) {
        if (t instanceof TimeoutException) {
            return "no answer within the attempt's " + ATTEMPT_MILLIS + " ms";
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private String where() {
        return endpoints.isEmpty() ? "the configured endpoints" : endpoints.toString();
    }

    private void sleep(long millis, String what) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while waiting to read " + what + " from etcd at " + where(), e);
        }
    }
}
