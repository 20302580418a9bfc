package io.gomq.core.replication;

/** A malformed or unexpected replication packet; the connection carrying it must be closed. */
public final class SyncProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SyncProtocolException(String reason) {
        super(reason);
    }
}
