package io.gomq.launcher.tls;

import java.util.concurrent.atomic.LongAdder;

/** TLS counters, lock-free to increment from any thread; bound into {@code BrokerMetrics}. */
public final class TlsMetrics {
    /** Client certificates not signed by the configured CA, expired, or otherwise refused. */
    public final LongAdder certsRejected = new LongAdder();
    /** Handshakes refused because tls-client-auth is required and the client sent no certificate. */
    public final LongAdder certsMissing = new LongAdder();
    /** Other failed handshakes: plain text on a TLS port, no common protocol or cipher. */
    public final LongAdder handshakeFailures = new LongAdder();
    /** Connections to the replication listener refused for lack of a cluster certificate (or of TLS). */
    public final LongAdder replicationPeersRefused = new LongAdder();
    /** Times a certificate and key were reloaded from changed files. */
    public final LongAdder reloads = new LongAdder();

    void count(HandshakeFailure f) {
        switch (f.kind()) {
            case CERT_REJECTED -> certsRejected.increment();
            case CERT_MISSING -> certsMissing.increment();
            case OTHER -> handshakeFailures.increment();
        }
    }
}
