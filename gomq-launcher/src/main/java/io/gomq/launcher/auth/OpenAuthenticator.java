package io.gomq.launcher.auth;

/** Accepts every client: the broker runs without a users file. */
final class OpenAuthenticator implements Authenticator {
    static final OpenAuthenticator INSTANCE = new OpenAuthenticator();

    @Override
    public boolean authenticate(String username, byte[] password) {
        return true;
    }

    @Override
    public boolean allowsAnonymous() {
        return true;
    }

    @Override
    public String toString() {
        return "open (no users file)";
    }
}
