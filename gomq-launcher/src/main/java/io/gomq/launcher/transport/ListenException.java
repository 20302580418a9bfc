package io.gomq.launcher.transport;

/** A listener could not start; the message is one line for the operator, e.g. "cannot listen on 0.0.0.0:9000: address already in use". */
public final class ListenException extends RuntimeException {
    public ListenException(String message, Throwable cause) {
        super(message, cause);
    }
}
