package io.gomq.launcher.tls;

import java.security.cert.CertificateException;

/**
 * A peer's certificate was not trusted; carries its subject so that the handshake failure
 * can be audited with it (the TLS stack only passes the exception on).
 */
final class CertificateRejectedException extends CertificateException {
    private static final long serialVersionUID = 1L;
    private final String subject;

    CertificateRejectedException(String subject, CertificateException cause) {
        super(reasonOf(cause), cause);
        this.subject = subject;
    }

    String subject() {
        return subject;
    }

    /** The innermost message: "PKIX path building failed: ... unable to find valid certification path" says it best. */
    private static String reasonOf(Throwable e) {
        String m = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                m = t.getMessage();
            }
        }
        return m == null ? e.toString() : m;
    }
}
