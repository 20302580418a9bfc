package io.gomq.launcher.auth;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Password hashes for the users file: PBKDF2WithHmacSHA256 from the JDK with a random 16-byte
 * salt, written as {@code pbkdf2-sha256$ITERATIONS$BASE64SALT$BASE64HASH} so the cost can rise
 * later without invalidating old lines. Passwords are UTF-8 text (the JDK's PBKDF2 takes chars).
 */
public final class PasswordHasher {
    public static final String SCHEME = "pbkdf2-sha256";
    public static final String FORMAT = SCHEME + "$ITERATIONS$SALT$HASH";
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 210_000;
    /** Bounds a hostile or mistyped file: a bigger count would make every CONNECT a denial of service. */
    static final int MAX_ITERATIONS = 10_000_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();
    private final int iterations;
    /** Verified against for unknown users, so a miss costs as much as a hit; made on first use. */
    private volatile String dummyHash;

    public PasswordHasher() {
        this(DEFAULT_ITERATIONS);
    }

    public PasswordHasher(int iterations) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be between 1 and " + MAX_ITERATIONS);
        }
        this.iterations = iterations;
    }

    /** A new hash with a fresh salt; the caller may wipe {@code password} afterwards. */
    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] dk = pbkdf2(password, salt, iterations);
        return SCHEME + "$" + iterations + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(dk);
    }

    /** Constant-time check of {@code password} (UTF-8 bytes, as in an MQTT CONNECT) against {@code encoded}. */
    /**
     * Checks a user's password against the user's stored hash, or against a dummy hash with this
     * hasher's iterations when the user is unknown ({@code storedHash} null): timing must not
     * reveal who exists.
     */
    public boolean verifyUser(byte[] password, String storedHash) {
        if (storedHash == null) {
            String d = dummyHash;
            if (d == null) {
                d = hash("not a password".toCharArray());
                dummyHash = d;
            }
            verify(password, d);
            return false;
        }
        return verify(password, storedHash);
    }

    public boolean verify(byte[] password, String encoded) {
        Parsed p = Parsed.of(encoded);
        if (p == null || password == null) {
            return false;
        }
        char[] chars = decodeUtf8(password);
        if (chars == null) {
            return false;
        }
        try {
            return MessageDigest.isEqual(pbkdf2(chars, p.salt, p.iterations), p.hash);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    public boolean verify(char[] password, String encoded) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        try {
            return verify(b, encoded);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    /** Whether {@code encoded} has this class's format (it says nothing about the password). */
    public static boolean isWellFormed(String encoded) {
        return Parsed.of(encoded) != null;
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Strict: a password that is not valid UTF-8 cannot match any stored (text) password. */
    private static char[] decodeUtf8(byte[] bytes) {
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            char[] out = new char[cb.remaining()];
            cb.get(out);
            return out;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static final class Parsed {
        final int iterations;
        final byte[] salt;
        final byte[] hash;

        private Parsed(int iterations, byte[] salt, byte[] hash) {
            this.iterations = iterations;
            this.salt = salt;
            this.hash = hash;
        }

        static Parsed of(String encoded) {
            if (encoded == null) {
                return null;
            }
            String[] parts = encoded.split("\\$", -1);
            if (parts.length != 4 || !SCHEME.equals(parts[0])) {
                return null;
            }
            try {
                int iterations = Integer.parseInt(parts[1]);
                byte[] salt = Base64.getDecoder().decode(parts[2]);
                byte[] hash = Base64.getDecoder().decode(parts[3]);
                if (iterations < 1 || iterations > MAX_ITERATIONS || salt.length < 8 || hash.length != HASH_BITS / 8) {
                    return null;
                }
                return new Parsed(iterations, salt, hash);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
