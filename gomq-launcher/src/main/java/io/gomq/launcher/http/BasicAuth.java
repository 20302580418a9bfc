package io.gomq.launcher.http;

import io.gomq.launcher.auth.AuditLog;
import io.gomq.launcher.auth.Authenticator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP Basic authentication against the broker's users file (the same {@link Authenticator}
 * rules as MQTT CONNECT, anonymous access included when the broker allows it).
 *
 * <p>Thread rules: {@link #require} may block for a PBKDF2 hash (~0.1 s), so it runs on the
 * API's worker threads only. Design note: a client that publishes over HTTP sends its password
 * on every request; hashing each time would cap a worker at ~10 requests a second. Credentials
 * that passed are remembered for {@link #CACHE_TTL_NANOS} as a SHA-256 digest of user and
 * password (never the password itself), so a changed password in the file (read at start) or a
 * wrong one is never accepted from the cache.
 */
final class BasicAuth {
    static final long CACHE_TTL_NANOS = 60_000_000_000L;
    private static final int CACHE_MAX = 1024;
    private static final String CHALLENGE = "Basic realm=\"gomq\", charset=\"UTF-8\"";

    private final Authenticator authenticator;
    private final ConcurrentHashMap<String, Long> recentlyAccepted = new ConcurrentHashMap<>();

    BasicAuth(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    /**
     * Returns the authenticated user name (null: an anonymous request the broker allows); throws
     * the 401 reply otherwise. Worker thread.
     */
    String require(ApiRequest request) {
        String header = request.authorization();
        if (header == null) {
            if (authenticator.allowsAnonymous()) {
                return null;
            }
            throw unauthorized("authentication required");
        }
        if (header.length() < 6 || !header.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
            throw unauthorized("only Basic authentication is supported");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            throw unauthorized("malformed Basic credentials");
        }
        int colon = indexOf(decoded, (byte) ':');
        if (colon <= 0) {
            Arrays.fill(decoded, (byte) 0);
            throw unauthorized("malformed Basic credentials");
        }
        String user = new String(decoded, 0, colon, StandardCharsets.UTF_8);
        byte[] password = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
        String digest = digest(decoded);
        Arrays.fill(decoded, (byte) 0);
        try {
            if (cached(digest)) {
                return user;
            }
            if (!authenticator.authenticate(user, password)) {
                AuditLog.authenticationFailed(null, user, request.remoteAddress(), "HTTP: bad user name or password");
                throw unauthorized("bad user name or password");
            }
            remember(digest);
            return user;
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    /** Whether {@code user} (as returned by {@link #require}; null: anonymous) has the admin role. */
    boolean isAdmin(String user) {
        return authenticator.isAdmin(user);
    }

    private boolean cached(String digest) {
        Long expires = recentlyAccepted.get(digest);
        if (expires == null) {
            return false;
        }
        if (System.nanoTime() - expires > 0) {
            recentlyAccepted.remove(digest, expires);
            return false;
        }
        return true;
    }

    private void remember(String digest) {
        if (recentlyAccepted.size() >= CACHE_MAX) {
            recentlyAccepted.clear(); // rare; a bounded cache beats a clever one here
        }
        recentlyAccepted.put(digest, System.nanoTime() + CACHE_TTL_NANOS);
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(ApiResponse.error(HttpResponseStatus.UNAUTHORIZED, message)
                .header(HttpHeaderNames.WWW_AUTHENTICATE.toString(), CHALLENGE));
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String digest(byte[] userColonPassword) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(userColonPassword));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
