package io.gomq.client;

/**
 * The broker's rules refuse this user the operation: a publish to a topic it may not write
 * (MQTT 5: PUBACK/PUBREC 0x87), a subscription to a filter it may not read (SUBACK 0x87), or a
 * connection with bad credentials. Another server of a cluster would answer the same: not retried.
 */
public final class NotAuthorizedException extends GoMqException {
    private static final long serialVersionUID = 1L;

    /**
     * The failure.
     *
     * @param message what failed, and why
     */
    public NotAuthorizedException(String message) {
        super(message);
    }

    /**
     * The failure and its cause.
     *
     * @param message what failed, and why
     * @param cause   the implementation's own exception, or null
     */
    public NotAuthorizedException(String message, Throwable cause) {
        super(message, cause);
    }
}
