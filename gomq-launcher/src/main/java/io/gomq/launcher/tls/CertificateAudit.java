package io.gomq.launcher.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The security audit trail's certificate events: one line per event on the {@code gomq.audit}
 * logger, as key=value pairs a log shipper can parse without a pattern, e.g.
 * {@code event=cert_rejected listener=mqtt-tls address=10.0.0.7:53122 reason="PKIX path building failed: ..." subject="CN=mallory"}.
 * Values with spaces, quotes or '=' are quoted, with {@code \"} and {@code \\} escaped.
 */
public final class CertificateAudit {
    /** Shared with the other audit events (connects, ACL denials): route this one logger to the audit file. */
    public static final String LOGGER = "gomq.audit";
    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER);

    private CertificateAudit() {
    }

    static void rejected(String listener, SocketAddress address, HandshakeFailure f) {
        if (AUDIT.isWarnEnabled()) {
            AUDIT.warn("event=cert_rejected listener={} address={} reason={} subject={}", value(listener),
                    value(address(address)), value(f.reason()), value(f.subject()));
        }
    }

    private static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            return (i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString()) + ":" + i.getPort();
        }
        return String.valueOf(a);
    }

    static String value(String v) {
        if (v == null || v.isEmpty()) {
            return "-";
        }
        boolean plain = true;
        for (int i = 0; i < v.length() && plain; i++) {
            char c = v.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c != '\\' && c < 0x7f;
        }
        if (plain) {
            return v;
        }
        StringBuilder b = new StringBuilder(v.length() + 8).append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < ' ') {
                b.append(' '); // one line per event, always
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
