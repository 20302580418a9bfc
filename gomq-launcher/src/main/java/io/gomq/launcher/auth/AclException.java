package io.gomq.launcher.auth;

/** An ACL that cannot be used; the message names its source and line. */
public final class AclException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AclException(String source, int lineNumber, String why) {
        super("acl " + source + (lineNumber > 0 ? " line " + lineNumber : "") + ": " + why);
    }
}
