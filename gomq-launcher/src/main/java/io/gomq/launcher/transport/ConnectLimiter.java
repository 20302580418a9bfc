package io.gomq.launcher.transport;

import io.gomq.launcher.limits.AddressLimits;
import io.gomq.launcher.limits.LimitRefusal;
import io.netty.channel.Channel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The per-address limits ({@link AddressLimits}) as the CONNECT handshake meets them: counts a
 * connection's address while it is open, refuses a CONNECT over the connection or rate limit,
 * and holds a password check back while its address is backing off after failed logins.
 *
 * <p>The wait runs as timers on the connection's event loop (reads stay off, nothing blocks): a
 * guesser's CONNECTs get their CONNACK late and cost no password check meanwhile, while other
 * addresses go straight on. A wait that would outlast half the connect timeout (counted from the
 * TCP accept) ends in a refusal (CONNACK 0x9F, connection rate exceeded; 3.1.1: 3) at that moment,
 * well before the connect timeout would close the connection without a word. The waits and the
 * deadline are measured on the broker's clock ({@link ClockTimers}).
 */
final class ConnectLimiter {
    private final AddressLimits limits;
    private final TransportMetrics metrics;
    private final long maxWaitNanos;
    private final ClockTimers timers;

    ConnectLimiter(AddressLimits limits, TransportMetrics metrics, long connectTimeoutMs, ClockTimers timers) {
        this.limits = limits;
        this.metrics = metrics;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(connectTimeoutMs / 2);
        this.timers = timers;
    }

    /** The connection's source address, or null for a channel without one (in-memory tests): then no limits apply. */
    static InetAddress addressOf(Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    /**
     * A connection was accepted: counts it for its address; returns whether it is one too many
     * for max-connections-per-ip (its CONNECT is then refused, see {@link #admit}).
     */
    boolean opened(Channel ch) {
        InetAddress a = addressOf(ch);
        return a != null && limits.opened(a);
    }

    void closed(Channel ch) {
        InetAddress a = addressOf(ch);
        if (a != null) {
            limits.closed(a);
        }
    }

    /** At CONNECT: null to go on, or the limit that refuses it (counted); {@code overAddressLimit} as {@link #opened} said. */
    LimitRefusal admit(Channel ch, boolean overAddressLimit) {
        InetAddress a = addressOf(ch);
        LimitRefusal r = a == null ? null
                : overAddressLimit ? LimitRefusal.CONNECTIONS_PER_IP : limits.admitConnect(a);
        if (r != null) {
            metrics.limitRefusal(r).increment();
        }
        return r;
    }

    /**
     * Runs {@code check} on the event loop once the address may have its password checked; until
     * then waits on timers while {@code waiting} holds (the connection is still authenticating),
     * at most until half the connect timeout after {@code acceptedNanos} (the TCP accept, on the
     * broker's clock), then refuses it. Every started check must end with {@link #checked}.
     */
    void whenCheckAllowed(Channel ch, long acceptedNanos, BooleanSupplier waiting, Runnable check,
                          Consumer<LimitRefusal> refuse) {
        InetAddress a = addressOf(ch);
        if (a == null) {
            check.run();
            return;
        }
        tryCheck(ch, a, acceptedNanos + maxWaitNanos, waiting, check, refuse, false);
    }

    private void tryCheck(Channel ch, InetAddress a, long deadline, BooleanSupplier waiting, Runnable check,
                          Consumer<LimitRefusal> refuse, boolean waited) {
        if (!waiting.getAsBoolean() || !ch.isActive()) {
            return; // closed meanwhile
        }
        long wait = limits.startCheck(a);
        if (wait == 0) {
            check.run();
            return;
        }
        long now = timers.clock().nanos();
        if (now + wait - deadline > 0) {
            // the back-off outlasts the wait allowed: hold the CONNECT until then, and refuse it
            timers.schedule(ch.eventLoop(), deadline - now, () -> {
                if (waiting.getAsBoolean() && ch.isActive()) {
                    metrics.limitRefusal(LimitRefusal.AUTH_BACKOFF).increment();
                    refuse.accept(LimitRefusal.AUTH_BACKOFF);
                }
            });
        } else {
            timers.schedule(ch.eventLoop(), wait, () -> tryCheck(ch, a, deadline, waiting, check, refuse, true));
        }
        if (!waited) {
            metrics.authBackoffWaits.increment(); // after the timer is armed: who sees the count may advance the clock
        }
    }

    /** The check {@link #whenCheckAllowed} started could not run (the password threads are saturated). */
    void abandoned(Channel ch) {
        InetAddress a = addressOf(ch);
        if (a != null) {
            limits.abandonCheck(a);
        }
    }

    /** The password check {@link #whenCheckAllowed} started has ended. Any thread. */
    void checked(Channel ch, boolean ok) {
        InetAddress a = addressOf(ch);
        if (a != null) {
            limits.checked(a, ok);
        }
    }
}
