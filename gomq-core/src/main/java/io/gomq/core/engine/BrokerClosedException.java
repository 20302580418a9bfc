package io.gomq.core.engine;

/** The broker was closed; nothing more is accepted. */
public final class BrokerClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public BrokerClosedException() {
        super("broker is closed");
    }
}
