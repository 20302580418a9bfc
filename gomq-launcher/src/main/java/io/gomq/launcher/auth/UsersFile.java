package io.gomq.launcher.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The users file: one {@code name:hash} per line, the hash made by {@link PasswordHasher}
 * ({@code gomqctl hash-password}), optionally followed by {@code :admin} (see {@link UserRecord});
 * blank lines and lines starting with '#' are ignored.
 * A user name cannot contain ':' (the first ':' ends it).
 */
public final class UsersFile {
    private final String source;
    private final Map<String, UserRecord> users;

    private UsersFile(String source, Map<String, UserRecord> users) {
        this.source = source;
        this.users = Map.copyOf(users);
    }

    public static UsersFile load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsersFileException(file.toString(), 0, "cannot read: " + e);
        }
        return parse(file.toString(), lines);
    }

    /** @param source names the file in error messages */
    public static UsersFile parse(String source, List<String> lines) {
        Map<String, UserRecord> users = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new UsersFileException(source, lineNumber, "expected name:hash");
            }
            String name = line.substring(0, colon).strip();
            UserRecord user = UserRecord.parse(line.substring(colon + 1));
            if (name.isEmpty()) {
                throw new UsersFileException(source, lineNumber, "empty user name");
            }
            if (user == null) {
                throw new UsersFileException(source, lineNumber, "hash of '" + name
                        + "' is not " + PasswordHasher.FORMAT + "[:" + UserRecord.ADMIN + "] (make one with gomqctl hash-password)");
            }
            if (users.putIfAbsent(name, user) != null) {
                throw new UsersFileException(source, lineNumber, "user '" + name + "' listed twice");
            }
        }
        return new UsersFile(source, users);
    }

    /** The stored hash of {@code name}, or null for an unknown user. */
    public String hashOf(String name) {
        UserRecord u = users.get(name);
        return u == null ? null : u.hash();
    }

    /** Whether {@code name} has the admin role. */
    public boolean isAdmin(String name) {
        UserRecord u = users.get(name);
        return u != null && u.isAdmin();
    }

    public int size() {
        return users.size();
    }

    public String source() {
        return source;
    }
}
