package io.gomq.launcher.transport;

import io.gomq.core.codec.DecodeError;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The transport's counters, lock-free to increment from any event loop; bound into
 * {@code BrokerMetrics} and read at scrape time.
 */
public final class TransportMetrics {
    /** Why a connection was closed for breaking the protocol, beyond what the decoder finds. */
    public enum Violation {
        CONNECT_NOT_FIRST,
        SECOND_CONNECT,
        INVALID_TOPIC,
        PAYLOAD_TOO_LARGE,
        QOS2_OVER_LIMIT
    }

    public final LongAdder connectionsAccepted = new LongAdder();
    public final LongAdder connectionsOpen = new LongAdder();
    public final LongAdder connectsRefused = new LongAdder();
    public final LongAdder authFailures = new LongAdder();
    public final LongAdder connectTimeouts = new LongAdder();
    public final LongAdder keepAliveTimeouts = new LongAdder();
    public final LongAdder takeovers = new LongAdder();
    public final LongAdder bytesRead = new LongAdder();
    public final LongAdder publishesSent = new LongAdder();
    public final LongAdder pausedReads = new LongAdder();
    /** Times a connection began waiting because the log refused its publish for lack of disk space. */
    public final LongAdder diskFullWaits = new LongAdder();
    /** Connections closed after waiting disk-full-timeout-ms for disk space. */
    public final LongAdder diskFullDisconnects = new LongAdder();
    private final Map<DecodeError, LongAdder> malformed = new EnumMap<>(DecodeError.class);
    private final Map<Violation, LongAdder> violations = new EnumMap<>(Violation.class);

    public TransportMetrics() {
        for (DecodeError e : DecodeError.values()) {
            malformed.put(e, new LongAdder());
        }
        for (Violation v : Violation.values()) {
            violations.put(v, new LongAdder());
        }
    }

    public LongAdder malformed(DecodeError error) {
        return malformed.get(error);
    }

    public LongAdder violation(Violation v) {
        return violations.get(v);
    }

    /** Connections closed for a malformed packet or a protocol violation, all reasons. */
    public long malformedTotal() {
        long n = 0;
        for (LongAdder a : malformed.values()) {
            n += a.sum();
        }
        for (LongAdder a : violations.values()) {
            n += a.sum();
        }
        return n;
    }
}
