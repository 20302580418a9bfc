package io.gomq.launcher.limits;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Per source address: connections open, the CONNECT rate (a token bucket) and the login back-off.
 * Thread-safe without locks of its own: every change replaces the address's immutable state in a
 * {@link ConcurrentHashMap#compute}, so event loops and the password threads may call it alike.
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

    private record State(int open, double tokens, long refilledAt, boolean checking, int failures, long blockedUntil) {
        /** Nothing to remember: no connection, no check, failures forgotten, the CONNECT bucket full again. */
        boolean idle(long now, long forgetNanos, int rate) {
            return open == 0 && !checking && (failures == 0 || now - blockedUntil > forgetNanos)
                    && (rate == 0 || tokens + (now - refilledAt) * rate / 1e9 >= rate);
        }
    }

    private final ClientLimits limits;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<InetAddress, State> byAddress = new ConcurrentHashMap<>();
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
     */
    public boolean opened(InetAddress a) {
        long now = nanoClock.getAsLong();
        State s = byAddress.compute(a, (k, cur) -> cur == null ? new State(1, limits.connectRatePerAddress(), now, false, 0, 0)
                : new State(cur.open + 1, cur.tokens, cur.refilledAt, cur.checking, cur.failures, cur.blockedUntil));
        return limits.maxConnectionsPerAddress() > 0 && s.open > limits.maxConnectionsPerAddress();
    }

    /** A connection from {@code a} closed. */
    public void closed(InetAddress a) {
        long now = nanoClock.getAsLong();
        byAddress.computeIfPresent(a, (k, s) -> {
            State n = new State(Math.max(0, s.open - 1), s.tokens, s.refilledAt, s.checking, s.failures, s.blockedUntil);
            return n.idle(now, forgetNanos, limits.connectRatePerAddress()) ? null : n;
        });
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
            State cur = s == null ? new State(0, rate, now, false, 0, 0) : s;
            double tokens = Math.min(rate, cur.tokens + (now - cur.refilledAt) * rate / 1e9);
            if (tokens < 1) {
                refusal[0] = LimitRefusal.CONNECT_RATE;
                return new State(cur.open, tokens, now, cur.checking, cur.failures, cur.blockedUntil);
            }
            return new State(cur.open, tokens - 1, now, cur.checking, cur.failures, cur.blockedUntil);
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
            State cur = s == null ? new State(0, limits.connectRatePerAddress(), now, false, 0, 0) : s;
            if (cur.checking) {
                wait[0] = Math.max(1, TimeUnit.MILLISECONDS.toNanos(limits.authFailureDelayMs()) / 2);
                return s;
            }
            if (cur.failures > 0 && now < cur.blockedUntil) {
                wait[0] = cur.blockedUntil - now;
                return s;
            }
            return new State(cur.open, cur.tokens, cur.refilledAt, true, cur.failures, cur.blockedUntil);
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
            State n = ok ? new State(s.open, s.tokens, s.refilledAt, false, 0, 0)
                    : new State(s.open, s.tokens, s.refilledAt, false, s.failures + 1, now + delayNanos(s.failures + 1));
            return n.idle(now, forgetNanos, limits.connectRatePerAddress()) ? null : n;
        });
    }

    /** A check {@link #startCheck} allowed never ran (the password threads refused it): no failure counts. */
    public void abandonCheck(InetAddress a) {
        long now = nanoClock.getAsLong();
        byAddress.computeIfPresent(a, (k, s) -> {
            State n = new State(s.open, s.tokens, s.refilledAt, false, s.failures, s.blockedUntil);
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

    /** Addresses tracked now (tests, /metrics). */
    public int size() {
        return byAddress.size();
    }

    /** Connections open from {@code a}. */
    public int open(InetAddress a) {
        State s = byAddress.get(a);
        return s == null ? 0 : s.open;
    }
}
