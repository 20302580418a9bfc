package io.gomq.core.session;

/** A new session would pass the configured maximum number of sessions. */
public final class SessionLimitException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public SessionLimitException(int max) {
        super("session limit reached (max-sessions=" + max + ")");
    }
}
