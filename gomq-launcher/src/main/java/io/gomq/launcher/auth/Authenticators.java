package io.gomq.launcher.auth;

import java.nio.file.Path;

/** Chooses the authenticator for the launcher's settings. */
public final class Authenticators {
    private Authenticators() {
    }

    /**
     * No users file: everyone is accepted. With one: its users, plus anonymous clients only
     * when {@code allowAnonymous} is set.
     *
     * @throws UsersFileException when the file cannot be read or has a bad line
     */
    public static Authenticator forUsersFile(Path usersFile, boolean allowAnonymous) {
        if (usersFile == null) {
            return Authenticator.open();
        }
        return new UsersFileAuthenticator(UsersFile.load(usersFile), allowAnonymous);
    }
}
