package io.gomq.core.log;

/** The log could not do what was asked (I/O failure, closed log). Unchecked: callers cannot repair it. */
public class LogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LogException(String message) {
        super(message);
    }

    public LogException(String message, Throwable cause) {
        super(message, cause);
    }
}
