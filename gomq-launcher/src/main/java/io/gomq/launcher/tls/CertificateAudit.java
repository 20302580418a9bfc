package io.gomq.launcher.tls;

import io.gomq.launcher.auth.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;

/**
 * The audit trail's certificate events, on the {@value AuditLog#LOGGER} logger in the format of
 * {@link AuditLog}, e.g.
 * {@code event=cert_rejected listener=mqtt-tls address=/10.0.0.7:53122 reason="not signed by a trusted CA: ..." subject="CN=mallory"}.
 */
final class CertificateAudit {
    private static final Logger AUDIT = LoggerFactory.getLogger(AuditLog.LOGGER);

    private CertificateAudit() {
    }

    static void rejected(String listener, SocketAddress address, HandshakeFailure f) {
        if (AUDIT.isWarnEnabled()) {
            AUDIT.warn("event=cert_rejected listener={} address={} reason={} subject={}", AuditLog.quote(listener),
                    AuditLog.quote(address == null ? null : address.toString()), AuditLog.quote(f.reason()),
                    AuditLog.quote(f.subject()));
        }
    }
}
