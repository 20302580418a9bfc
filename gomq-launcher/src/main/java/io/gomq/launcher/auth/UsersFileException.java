package io.gomq.launcher.auth;

/** A users file that cannot be used; the message names the file and the line. */
public final class UsersFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int lineNumber;

    public UsersFileException(String source, int lineNumber, String why) {
        super("users file " + source + (lineNumber > 0 ? " line " + lineNumber : "") + ": " + why);
        this.lineNumber = lineNumber;
    }

    /** 1-based; 0 when the problem is not on one line (e.g. the file cannot be read). */
    public int lineNumber() {
        return lineNumber;
    }
}
