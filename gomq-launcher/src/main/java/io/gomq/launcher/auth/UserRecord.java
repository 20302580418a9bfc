package io.gomq.launcher.auth;

import java.util.Locale;
import java.util.Set;

/**
 * What the broker keeps of one user: the password hash, then optional roles after a ':'
 * ({@code pbkdf2-sha256$...$...$...:admin}). The same text is a users file line's part after the
 * name and the value of the user's key in etcd. Only one role exists: {@value #ADMIN}, for the
 * HTTP API's operator routes (/metrics, /cluster).
 */
public record UserRecord(String hash, Set<String> roles) {
    public static final String ADMIN = "admin";

    /** Null when the hash is not well formed or a role is unknown; the caller says where. */
    public static UserRecord parse(String text) {
        String t = text.strip();
        int colon = t.indexOf(':');
        String hash = colon < 0 ? t : t.substring(0, colon).strip();
        Set<String> roles = Set.of();
        if (colon >= 0) {
            String role = t.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
            if (!role.equals(ADMIN)) {
                return null;
            }
            roles = Set.of(ADMIN);
        }
        return PasswordHasher.isWellFormed(hash) ? new UserRecord(hash, roles) : null;
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN);
    }
}
