package io.gomq.launcher.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsersFileTest {
    private static final PasswordHasher FAST = new PasswordHasher(1_000);
    private static final String ALICE = FAST.hash("alice-pw".toCharArray());
    private static final String BOB = FAST.hash("bob-pw".toCharArray());

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesNamesHashesCommentsAndBlankLines() {
        UsersFile f = UsersFile.parse("t", List.of("# users", "", "alice:" + ALICE, "  bob : " + BOB + "  "));
        assertEquals(2, f.size());
        assertEquals(ALICE, f.hashOf("alice"));
        assertEquals(BOB, f.hashOf("bob"));
        assertNull(f.hashOf("carol"));
    }

    @Test
    void lineWithoutColonIsReportedWithItsNumber() {
        UsersFileException e = assertThrows(UsersFileException.class,
                () -> UsersFile.parse("users.txt", List.of("# c", "alice:" + ALICE, "bob")));
        assertEquals(3, e.lineNumber());
        assertTrue(e.getMessage().contains("users.txt line 3"), e.getMessage());
    }

    @Test
    void badHashEmptyNameAndDuplicateAreReportedWithLineNumbers() {
        assertEquals(1, assertThrows(UsersFileException.class,
                () -> UsersFile.parse("t", List.of("alice:plaintext"))).lineNumber());
        assertEquals(2, assertThrows(UsersFileException.class,
                () -> UsersFile.parse("t", List.of("", ":" + ALICE))).lineNumber());
        assertEquals(2, assertThrows(UsersFileException.class,
                () -> UsersFile.parse("t", List.of("alice:" + ALICE, "alice:" + BOB))).lineNumber());
    }

    @Test
    void missingFileIsReported() {
        UsersFileException e = assertThrows(UsersFileException.class, () -> UsersFile.load(dir.resolve("none")));
        assertEquals(0, e.lineNumber());
    }

    @Test
    void usersFileAuthenticatorChecksPasswords() throws IOException {
        Path p = dir.resolve("users");
        Files.writeString(p, "alice:" + ALICE + "\nbob:" + BOB + "\n");
        Authenticator auth = Authenticators.forUsersFile(p, false);
        assertTrue(auth.authenticate("alice", b("alice-pw")));
        assertFalse(auth.authenticate("alice", b("bob-pw")));
        assertFalse(auth.authenticate("carol", b("alice-pw")));
        assertFalse(auth.authenticate("alice", null));
        assertFalse(auth.allowsAnonymous());
        assertTrue(Authenticators.forUsersFile(p, true).allowsAnonymous());
    }

    @Test
    void noUsersFileAcceptsEveryone() {
        Authenticator auth = Authenticators.forUsersFile(null, false);
        assertSame(Authenticator.open(), auth);
        assertTrue(auth.allowsAnonymous());
        assertTrue(auth.authenticate("anyone", b("anything")));
    }
}
