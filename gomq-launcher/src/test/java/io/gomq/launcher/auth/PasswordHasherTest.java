package io.gomq.launcher.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {
    /** Few iterations keep the tests fast; the count travels in the hash. */
    private final PasswordHasher fast = new PasswordHasher(1_000);

    @Test
    void hashVerifiesItsPasswordOnly() {
        String h = fast.hash("s3cret".toCharArray());
        assertTrue(fast.verify("s3cret".getBytes(StandardCharsets.UTF_8), h));
        assertFalse(fast.verify("s3cret!".getBytes(StandardCharsets.UTF_8), h));
        assertFalse(fast.verify(new byte[0], h));
        assertTrue(fast.verify("s3cret".toCharArray(), h));
    }

    @Test
    void hashCarriesSchemeIterationsSaltAndHash() {
        String h = fast.hash("pw".toCharArray());
        assertTrue(h.matches("pbkdf2-sha256\\$1000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), h);
        assertTrue(PasswordHasher.isWellFormed(h));
    }

    @Test
    void samePasswordHashesDifferentlyEachTime() {
        assertNotEquals(fast.hash("pw".toCharArray()), fast.hash("pw".toCharArray()));
    }

    @Test
    void defaultHasherVerifiesAFastHash() {
        String h = fast.hash("pw".toCharArray());
        assertTrue(new PasswordHasher().verify("pw".getBytes(StandardCharsets.UTF_8), h));
    }

    @Test
    void nonUtf8PasswordNeverMatches() {
        String h = fast.hash("\uFFFD".toCharArray());
        assertFalse(fast.verify(new byte[] {(byte) 0xFF}, h));
    }

    @Test
    void unicodePasswordRoundTrips() {
        String h = fast.hash("pässwörd-密码".toCharArray());
        assertTrue(fast.verify("pässwörd-密码".getBytes(StandardCharsets.UTF_8), h));
    }

    @Test
    void malformedHashesAreRejected() {
        for (String bad : new String[] {null, "", "plain", "md5$1$AAAA$AAAA", "pbkdf2-sha256$x$AAAAAAAAAAA$AAAA",
                "pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "pbkdf2-sha256$99999999$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA$AAAA"}) {
            assertFalse(PasswordHasher.isWellFormed(bad), String.valueOf(bad));
            assertFalse(fast.verify("x".getBytes(StandardCharsets.UTF_8), bad), String.valueOf(bad));
        }
    }

    @Test
    void iterationsAreBounded() {
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(0));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(PasswordHasher.MAX_ITERATIONS + 1));
    }
}
