package io.gomq.launcher.tls;

import java.util.Locale;

/** Why a TLS handshake failed, as the audit line and the counters say it. */
record HandshakeFailure(Kind kind, String reason, String subject) {
    enum Kind { CERT_REJECTED, CERT_MISSING, OTHER }

    static HandshakeFailure of(Throwable cause) {
        String last = null;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateRejectedException r) {
                return new HandshakeFailure(Kind.CERT_REJECTED, r.getMessage(), r.subject());
            }
            String m = t.getMessage();
            if (m != null) {
                // the JDK's words when client authentication is required and the chain is empty (TLS 1.2 and 1.3)
                if (m.toLowerCase(Locale.ROOT).contains("empty client certificate chain")) {
                    return new HandshakeFailure(Kind.CERT_MISSING, "no client certificate", "-");
                }
                last = m;
            }
        }
        return new HandshakeFailure(Kind.OTHER, last == null ? String.valueOf(cause) : last, "-");
    }

    boolean aboutCertificate() {
        return kind != Kind.OTHER;
    }
}
