package io.gomq.launcher.limits;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Per source address: connections open, the CONNECT rate (a token bucket) and the login back-off.
 * Thread-safe without locks of its own, so event loops and the password threads may call it alike:
 * the open connections are a lock-free counter per address, kept only while max-connections-per-ip
 * is set (many connections from one address, NAT or a load test, then cost a CAS each, not a
 * lock); the rest of an address's state is immutable and replaced in a
 * {@link ConcurrentHashMap#compute}, only while the rate limit or the back-off needs it.
 *
 * <p>Login back-off: while an address has a password check running, its other CONNECTs wait (one
 * check at a time per address, so a guesser with a hundred parallel connections occupies one
 * password thread, never all of them); after a failure it waits {@code delay x 2^(failures-1)}
 * (at most the maximum) before its next check. A success clears its failures. Other addresses are
 * never affected: nothing here is shared between addresses.
 *
 * <p>Memory: an address is kept while it has connections, a check running or failures not yet
 * forgotten; {@link #sweep()} (run periodically) forgets failures {@code FORGET_AFTER_MAX_DELAYS}
 * maximum delays after the last one.
 */
public final class AddressLimits {
    static final int FORGET_AFTER_MAX_DELAYS = 6;
    /** A counter whose address was removed from {@link #openByAddress}: whoever sees it takes a fresh one. */
    private static final int REMOVED = -1;

    private record State(double tokens, long refilledAt, boolean checking, int failures, long blockedUntil) {
        /** Nothing to remember: no check, failures forgotten, the CONNECT bucket full again. */
        boolean idle(long now, long forgetNanos, int rate) {
            return !checking && (failures == 0 || now - blockedUntil > forgetNanos)
                    && (rate == 0 || tokens + (now - refilledAt) * rate / 1e9 >= rate);
        }
    }

    private final ClientLimits limits;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<InetAddress, State> byAddress = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> openByAddress = new ConcurrentHashMap<>();
    private final long forgetNanos;

    public AddressLimits(ClientLimits limits, LongSupplier nanoClock) {
        this.limits = limits;
        this.nanoClock = nanoClock;
        this.forgetNanos = TimeUnit.MILLISECONDS.toNanos(limits.authFailureMaxDelayMs() * FORGET_AFTER_MAX_DELAYS);
    }

    public ClientLimits settings() {
        return limits;
    }

    /**
     * A connection from {@code a} was accepted; returns whether it is one too many for
     * max-connections-per-ip (its CONNECT is then refused: the newest connection, not an older one).
     * Counts nothing while that limit is off.
     */
    public boolean opened(InetAddress a) {
        int max = limits.maxConnectionsPerAddress();
        if (max == 0) {
            return false;
        }
        while (true) {
            AtomicInteger n = openByAddress.get(a);
            if (n == null) {
                n = openByAddress.computeIfAbsent(a, k -> new AtomicInteger());
            }
            int cur;
            while ((cur = n.get()) != REMOVED) {
                if (n.compareAndSet(cur, cur + 1)) {
                    return cur + 1 > max;
                }
            }
            openByAddress.remove(a, n); // its last close is removing it: count on a fresh one
        }
    }

    /** A connection from {@code a} closed (one {@link #opened} counted). */
    public void closed(InetAddress a) {
        if (limits.maxConnectionsPerAddress() == 0) {
            return;
        }
        AtomicInteger n = openByAddress.get(a);
        if (n != null && n.decrementAndGet() == 0 && n.compareAndSet(0, REMOVED)) {
            openByAddress.remove(a, n);
        }
    }

    /** Whether a CONNECT from {@code a} may go on under connect-rate-per-ip, taking a token if so. */
    public LimitRefusal admitConnect(InetAddress a) {
        int rate = limits.connectRatePerAddress();
        if (rate == 0) {
            return null;
        }
        long now = nanoClock.getAsLong();
        LimitRefusal[] refusal = new LimitRefusal[1];
        byAddress.compute(a, (k, s) -> {
            State cur = s == null ? new State(rate, now, false, 0, 0) : s;
            double tokens = Math.min(rate, cur.tokens + (now - cur.refilledAt) * rate / 1e9);
            if (tokens < 1) {
                refusal[0] = LimitRefusal.CONNECT_RATE;
                return new State(tokens, now, cur.checking, cur.failures, cur.blockedUntil);
            }
            return new State(tokens - 1, now, cur.checking, cur.failures, cur.blockedUntil);
        });
        return refusal[0];
    }

    /**
     * Asks to check a password from {@code a}: 0 = go ahead (the check is now running for it, end
     * it with {@link #checked}), else how many nanoseconds to wait before asking again.
     */
    public long startCheck(InetAddress a) {
        if (limits.authFailureDelayMs() == 0) {
            return 0;
        }
        long now = nanoClock.getAsLong();
        long[] wait = new long[1];
        byAddress.compute(a, (k, s) -> {
            State cur = s == null ? new State(limits.connectRatePerAddress(), now, false, 0, 0) : s;
            if (cur.checking) {
                wait[0] = Math.max(1, TimeUnit.MILLISECONDS.toNanos(limits.authFailureDelayMs()) / 2);
                return s;
            }
            if (cur.failures > 0 && now < cur.blockedUntil) {
                wait[0] = cur.blockedUntil - now;
                return s;
            }
            return new State(cur.tokens, cur.refilledAt, true, cur.failures, cur.blockedUntil);
        });
        return wait[0];
    }

    /** The check {@link #startCheck} allowed has ended: a failure starts (or extends) the back-off. */
    public void checked(InetAddress a, boolean ok) {
        if (limits.authFailureDelayMs() == 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        byAddress.computeIfPresent(a, (k, s) -> {
            State n = ok ? new State(s.tokens, s.refilledAt, false, 0, 0)
                    : new State(s.tokens, s.refilledAt, false, s.failures + 1, now + delayNanos(s.failures + 1));
            return n.idle(now, forgetNanos, limits.connectRatePerAddress()) ? null : n;
        });
    }

    /** A check {@link #startCheck} allowed never ran (the password threads refused it): no failure counts. */
    public void abandonCheck(InetAddress a) {
        long now = nanoClock.getAsLong();
        byAddress.computeIfPresent(a, (k, s) -> {
            State n = new State(s.tokens, s.refilledAt, false, s.failures, s.blockedUntil);
            return n.idle(now, forgetNanos, limits.connectRatePerAddress()) ? null : n;
        });
    }

    /** The back-off after {@code failures} failures in a row. */
    long delayNanos(int failures) {
        long ms = limits.authFailureDelayMs() << Math.min(failures - 1, 30);
        return TimeUnit.MILLISECONDS.toNanos(ms < 0 ? limits.authFailureMaxDelayMs() : Math.min(ms, limits.authFailureMaxDelayMs()));
    }

    /** Forgets addresses with nothing open, nothing running and old failures only. */
    public void sweep() {
        long now = nanoClock.getAsLong();
        byAddress.entrySet().removeIf(e -> e.getValue().idle(now, forgetNanos, limits.connectRatePerAddress()));
    }

    /** Addresses tracked now (tests). */
    public int size() {
        Set<InetAddress> all = new HashSet<>(byAddress.keySet());
        all.addAll(openByAddress.keySet());
        return all.size();
    }

    /** Connections open from {@code a} (counted while max-connections-per-ip is set). */
    public int open(InetAddress a) {
        AtomicInteger n = openByAddress.get(a);
        return n == null ? 0 : Math.max(0, n.get());
    }
}
