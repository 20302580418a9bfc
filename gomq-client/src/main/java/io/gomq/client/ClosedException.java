package io.gomq.client;

/**
 * The producer, consumer or client was closed (by the caller, or with its client), or the
 * broker it belongs to was: publishes fail with it, subscribe and the factory methods throw it.
 */
public final class ClosedException extends GoMqException {
    private static final long serialVersionUID = 1L;

    /**
     * The failure.
     *
     * @param message what failed, and why
     */
    public ClosedException(String message) {
        super(message);
    }

    /**
     * The failure and its cause.
     *
     * @param message what failed, and why
     * @param cause   the implementation's own exception, or null
     */
    public ClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
