package io.gomq.launcher.tls;

import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;

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

    /** Says what an operator needs: expired, not yet valid, or not signed by the CA (the JDK's innermost words after it). */
    private static String reasonOf(Throwable e) {
        String m = null;
        String kind = "not signed by a trusted CA";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                kind = "expired";
            } else if (t instanceof CertificateNotYetValidException) {
                kind = "not yet valid";
            }
            if (t.getMessage() != null) {
                m = t.getMessage();
            }
        }
        return m == null ? kind : kind + ": " + m;
    }
}
