package io.gomq.launcher.cli;

/** Why one broker of the --connect list did not take the connection. */
final class ConnectFailure extends Exception {
    private static final long serialVersionUID = 1L;

    enum Kind {
        /** Network: refused, unknown host, timeout, closed. Try the next broker. */
        UNREACHABLE,
        /** The broker answered "not now" (CONNACK 3, HTTP 503): a cluster member. Try the next broker. */
        UNAVAILABLE,
        /** The broker refused these credentials (CONNACK 4/5, HTTP 401/403). Asking another one won't help. */
        NOT_AUTHORIZED,
        /** Any other refusal. Final. */
        REJECTED
    }

    private final Kind kind;

    ConnectFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }

    boolean tryNext() {
        return kind == Kind.UNREACHABLE || kind == Kind.UNAVAILABLE;
    }
}
