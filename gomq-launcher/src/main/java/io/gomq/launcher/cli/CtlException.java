package io.gomq.launcher.cli;

/** Ends gomqctl with a one-line message and an {@link ExitCode}. */
public final class CtlException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public CtlException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CtlException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
