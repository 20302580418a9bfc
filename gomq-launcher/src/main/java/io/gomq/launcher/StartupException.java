package io.gomq.launcher;

/** The broker could not start; the message is one line for the operator (Main prints it as "gomq: ..."). */
public final class StartupException extends RuntimeException {
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
