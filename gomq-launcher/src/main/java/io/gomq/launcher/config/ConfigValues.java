package io.gomq.launcher.config;

import io.gomq.core.config.ConfigException;
import io.gomq.launcher.jvm.JvmSizing;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parsers from the raw text of a file, a variable or a flag to typed values. Every failure is a
 * {@link ConfigException} naming {@code key} as the user wrote it (file key, GOMQ_ variable or --flag).
 */
final class ConfigValues {
    /** The parameter label of a boolean setting: as a flag its value is optional ({@code --allow-anonymous}). */
    static final String BOOL = "BOOL";
    /** How a switched-off listener is written. */
    static final String OFF = "off";

    private ConfigValues() {
    }

    static int intIn(String key, String raw, int lo, int hi) {
        long v = longIn(key, raw, lo, hi);
        return (int) v;
    }

    static long longIn(String key, String raw, long lo, long hi) {
        long v;
        try {
            v = Long.parseLong(raw.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigException(key, raw, "expected an integer");
        }
        if (v < lo || v > hi) {
            throw new ConfigException(key, raw, "must be between " + lo + " and " + hi);
        }
        return v;
    }

    /**
     * A memory size: bytes, or a number with k, m or g (powers of 1024; "256m", "1g"); off or 0 =
     * {@link LauncherDefaults#MEMORY_OFF}. At least {@link JvmSizing#MIN_BUDGET_BYTES}.
     */
    static long memorySize(String key, String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT).replace("_", "");
        if (s.equals(OFF) || s.equals("0")) {
            return LauncherDefaults.MEMORY_OFF;
        }
        s = s.endsWith("ib") ? s.substring(0, s.length() - 2) : s.endsWith("b") ? s.substring(0, s.length() - 1) : s;
        int shift = s.endsWith("k") ? 10 : s.endsWith("m") ? 20 : s.endsWith("g") ? 30 : 0;
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1);
        if (digits.isEmpty() || !isDigits(digits) || digits.length() > 12) {
            throw new ConfigException(key, raw, "expected a size such as 256m or 1g, or off");
        }
        long bytes = Long.parseLong(digits) << shift;
        if (bytes < JvmSizing.MIN_BUDGET_BYTES) {
            throw new ConfigException(key, raw, "must be at least " + (JvmSizing.MIN_BUDGET_BYTES >> 20) + "m (or off)");
        }
        return bytes;
    }

    /** A listener port: 0..65535 (0 = pick a free port); off, empty or negative = no listener. */
    static int listenerPort(String key, String raw) {
        String s = raw.trim();
        if (s.isEmpty() || OFF.equalsIgnoreCase(s) || s.startsWith("-") && s.length() > 1 && isDigits(s.substring(1))) {
            return LauncherDefaults.LISTENER_OFF;
        }
        return intIn(key, s, 0, 65_535);
    }

    private static boolean isDigits(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** An absolute URL path such as {@code /mqtt}: a leading '/', no query, fragment or spaces. */
    static String urlPath(String key, String raw) {
        String s = raw.trim();
        if (!s.startsWith("/") || s.chars().anyMatch(c -> c == '?' || c == '#' || c <= ' ' || c >= 127)) {
            throw new ConfigException(key, raw, "expected a path like /mqtt");
        }
        return s;
    }

    static double fraction(String key, String raw) {
        try {
            double v = Double.parseDouble(raw.trim());
            if (v > 0 && v < 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key, raw, "expected a number between 0 and 1 (exclusive)");
    }

    static boolean bool(String key, String raw) {
        switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on": case "1": return true;
            case "false": case "no": case "off": case "0": return false;
            default: throw new ConfigException(key, raw, "expected true or false");
        }
    }

    /** Blank means "not set". */
    static Path path(String key, String raw) {
        String s = raw.trim();
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Path.of(s);
        } catch (RuntimeException e) {
            throw new ConfigException(key, raw, "not a valid path");
        }
    }

    /** Blank means "not set". */
    /** A directory for the class-data archive; {@code ~/} is the home directory; off or empty = null (none). */
    static Path classArchiveDir(String key, String raw) {
        String s = raw.trim();
        if (s.isEmpty() || s.equalsIgnoreCase(OFF)) {
            return null;
        }
        if (s.equals("~") || s.startsWith("~/")) {
            s = System.getProperty("user.home") + s.substring(1);
        }
        return path(key, s);
    }

    static String text(String raw) {
        String s = raw.trim();
        return s.isEmpty() ? null : s;
    }

    /** Comma-separated etcd endpoints; {@code host:port} is read as {@code http://host:port}. */
    static List<URI> endpoints(String key, String raw) {
        List<URI> out = new ArrayList<>();
        for (String part : raw.split(",")) {
            String s = part.trim();
            if (s.isEmpty()) {
                continue;
            }
            if (!s.contains("://")) {
                s = "http://" + s;
            }
            try {
                URI uri = new URI(s);
                boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
                if (!web || uri.getHost() == null || uri.getPort() < 0) {
                    throw new ConfigException(key, raw, "expected http(s)://HOST:PORT[,...], bad entry '" + part.trim() + "'");
                }
                out.add(uri);
            } catch (URISyntaxException e) {
                throw new ConfigException(key, raw, "bad endpoint '" + part.trim() + "': " + e.getReason());
            }
        }
        return List.copyOf(out);
    }

    /** {@code HOST:PORT}, IPv6 hosts in brackets; blank means "not set". */
    static String hostPort(String key, String raw) {
        String s = raw.trim();
        if (s.isEmpty()) {
            return null;
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new ConfigException(key, raw, "expected HOST:PORT");
        }
        intIn(key, s.substring(colon + 1), 1, 65_535);
        return s;
    }
}
