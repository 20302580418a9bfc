package io.gomq.launcher.auth;

/** Checks credentials against a {@link UsersFile}. */
public final class UsersFileAuthenticator implements Authenticator {
    private final UsersFile users;
    private final boolean allowAnonymous;
    private final PasswordHasher hasher = new PasswordHasher();

    public UsersFileAuthenticator(UsersFile users, boolean allowAnonymous) {
        this.users = users;
        this.allowAnonymous = allowAnonymous;
    }

    @Override
    public boolean authenticate(String username, byte[] password) {
        if (username == null || password == null) {
            return false;
        }
        return hasher.verifyUser(password, users.hashOf(username));
    }

    @Override
    public boolean isAdmin(String username) {
        return username != null && users.isAdmin(username);
    }

    @Override
    public boolean allowsAnonymous() {
        return allowAnonymous;
    }

    @Override
    public String toString() {
        return "users file " + users.source() + " (" + users.size() + " users, anonymous "
                + (allowAnonymous ? "allowed" : "refused") + ")";
    }
}
