package io.gomq.client;

/**
 * No broker could be reached: none of the servers took the connection, or the request got no
 * answer in time. Only a remote client meets it; a publish that meets a lost connection waits for
 * the reconnect instead (see {@link Producer}).
 */
public final class NotConnectedException extends GoMqException {
    private static final long serialVersionUID = 1L;

    /**
     * The failure.
     *
     * @param message what failed, and why
     */
    public NotConnectedException(String message) {
        super(message);
    }

    /**
     * The failure and its cause.
     *
     * @param message what failed, and why
     * @param cause   the implementation's own exception, or null
     */
    public NotConnectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
