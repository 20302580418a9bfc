package io.gomq.client;

/**
 * The broker did not keep the message: its disk is below the reserve, a quota is reached (the
 * retained store is full), or its log refused the write (MQTT 5: PUBACK/PUBREC with an error
 * reason code other than 0x87). Nothing of the message was stored or routed; it may be published
 * again once the cause is gone.
 */
public final class NotStoredException extends GoMqException {
    private static final long serialVersionUID = 1L;

    /**
     * The failure.
     *
     * @param message what failed, and why
     */
    public NotStoredException(String message) {
        super(message);
    }

    /**
     * The failure and its cause.
     *
     * @param message what failed, and why
     * @param cause   the implementation's own exception, or null
     */
    public NotStoredException(String message, Throwable cause) {
        super(message, cause);
    }
}
