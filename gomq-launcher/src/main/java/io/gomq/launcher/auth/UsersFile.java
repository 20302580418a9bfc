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
 * ({@code gomqctl hash-password}); blank lines and lines starting with '#' are ignored.
 * A user name cannot contain ':' (the first ':' ends it).
 */
public final class UsersFile {
    private final String source;
    private final Map<String, String> hashes;

    private UsersFile(String source, Map<String, String> hashes) {
        this.source = source;
        this.hashes = Map.copyOf(hashes);
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
        Map<String, String> hashes = new HashMap<>();
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
            String hash = line.substring(colon + 1).strip();
            if (name.isEmpty()) {
                throw new UsersFileException(source, lineNumber, "empty user name");
            }
            if (!PasswordHasher.isWellFormed(hash)) {
                throw new UsersFileException(source, lineNumber, "hash of '" + name
                        + "' is not " + PasswordHasher.FORMAT + " (make one with gomqctl hash-password)");
            }
            if (hashes.putIfAbsent(name, hash) != null) {
                throw new UsersFileException(source, lineNumber, "user '" + name + "' listed twice");
            }
        }
        return new UsersFile(source, hashes);
    }

    /** The stored hash of {@code name}, or null for an unknown user. */
    public String hashOf(String name) {
        return hashes.get(name);
    }

    public int size() {
        return hashes.size();
    }

    public String source() {
        return source;
    }
}
