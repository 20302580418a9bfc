package io.gomq.launcher.tls;

/** TLS files that cannot be used; the message names the file and why. */
public final class TlsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
