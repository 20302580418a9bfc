package io.gomq.core.auth;

/** An in-process publish or subscribe that the principal's topic rules refuse. */
public final class NotAuthorizedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotAuthorizedException(String message) {
        super(message);
    }
}
