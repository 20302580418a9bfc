package io.gomq.client;

/**
 * A failure the broker or the connection to it reports, the same type whichever implementation
 * ({@code io.gomq.embedded} in-process, {@code io.gomq.remote} over the network) meets it. Methods
 * throw it; futures complete exceptionally with it.
 *
 * <ul>
 *   <li>{@link NotAuthorizedException}: the broker's rules refuse this user the topic, or its
 *       credentials;</li>
 *   <li>{@link NotStoredException}: the broker took the message but did not store or route it
 *       (disk below its reserve, a quota, the log refused the write): nothing of it was kept;</li>
 *   <li>{@link NotConnectedException}: no broker could be reached (remote);</li>
 *   <li>{@link ClosedException}: the producer, consumer, client or broker is closed.</li>
 * </ul>
 *
 * Mistakes of the caller stay standard exceptions: {@link IllegalArgumentException} for a bad
 * topic, filter, payload size or setting; {@link IllegalStateException} for a call the object's
 * mode does not allow (a consumer with a handler asked to poll).
 */
public class GoMqException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure with a message.
     *
     * @param message what failed, and why
     */
    public GoMqException(String message) {
        super(message);
    }

    /**
     * A failure with a message and its cause (an implementation's own exception).
     *
     * @param message what failed, and why
     * @param cause   the underlying failure, or null
     */
    public GoMqException(String message, Throwable cause) {
        super(message, cause);
    }
}
