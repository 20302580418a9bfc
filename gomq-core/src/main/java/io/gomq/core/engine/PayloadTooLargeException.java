package io.gomq.core.engine;

/** A payload over the configured max-payload-bytes. */
public final class PayloadTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(int size, int max) {
        super("payload of " + size + " bytes exceeds max-payload-bytes=" + max);
    }
}
