package io.gomq.launcher.auth;

/**
 * Decides whether a CONNECT's credentials are accepted. Implementations are thread-safe.
 * Design note: checking a password is deliberately slow (a PBKDF2 hash, ~0.1 s); call
 * {@link #authenticate} off the network event loop.
 */
public interface Authenticator {
    /**
     * @param username the CONNECT user name, never null (anonymous clients are checked with {@link #allowsAnonymous()})
     * @param password the CONNECT password bytes, or null when absent
     */
    boolean authenticate(String username, byte[] password);

    /** Whether {@code username} (authenticated) has the admin role: the HTTP API's operator routes. */
    default boolean isAdmin(String username) {
        return false;
    }

    /** Whether a CONNECT without a user name is accepted. */
    boolean allowsAnonymous();

    /** No users file: everyone is accepted, with or without credentials. */
    static Authenticator open() {
        return OpenAuthenticator.INSTANCE;
    }
}
