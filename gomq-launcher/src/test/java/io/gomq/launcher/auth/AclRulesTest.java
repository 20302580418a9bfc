package io.gomq.launcher.auth;

import io.gomq.core.auth.Access;
import io.gomq.core.auth.Principal;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AclRulesTest {
    private static final AclRules RULES = AclRules.parse("test", List.of(
            "# a Mosquitto acl_file",
            "topic read public/#",
            "topic deny public/private",
            "pattern readwrite users/%u/#",
            "pattern write devices/%c/status",
            "",
            "user alice",
            "topic readwrite alice/#",
            "topic write  news/with space",
            "topic shared/#",
            "user bob smith",
            "topic read bob/#",
            "client sensor-7",
            "topic write telemetry/7"));

    private static AclPermissions of(String user, String client) {
        return RULES.permissionsOf(new Principal(user, client));
    }

    @Test
    void linesBeforeAnyUserApplyToEveryoneAndDenyBeatsAGrant() {
        for (AclPermissions p : List.of(of(null, "anon"), of("alice", "a"), of("carol", "c"))) {
            assertTrue(p.allows(Access.READ, "public/news"));
            assertFalse(p.allows(Access.WRITE, "public/news"));
            assertFalse(p.allows(Access.READ, "public/private"));
        }
    }

    @Test
    void whatNoRuleGrantsIsDenied() {
        assertFalse(of("carol", "c").allows(Access.READ, "alice/x"));
        assertFalse(of(null, "anon").allows(Access.WRITE, "anything"));
    }

    @Test
    void userSectionsAndTheirAccessWords() {
        AclPermissions alice = of("alice", "a");
        assertTrue(alice.allows(Access.WRITE, "alice/x"));
        assertTrue(alice.allows(Access.READ, "alice/x"));
        assertTrue(alice.allows(Access.WRITE, "news/with space"), "the filter is the rest of the line");
        assertFalse(alice.allows(Access.READ, "news/with space"));
        assertTrue(alice.allows(Access.READ, "shared/1") && alice.allows(Access.WRITE, "shared/1"), "no access word: readwrite");
        assertTrue(of("bob smith", "b").allows(Access.READ, "bob/x"), "a user name may hold spaces");
        assertFalse(of("bob smith", "b").allows(Access.WRITE, "bob/x"));
    }

    @Test
    void patternsSubstituteUserAndClientId() {
        assertTrue(of("alice", "a").allows(Access.READ, "users/alice/inbox"));
        assertFalse(of("alice", "a").allows(Access.READ, "users/bob/inbox"));
        assertFalse(of(null, "anon").allows(Access.READ, "users/null/inbox"), "%u never matches an anonymous client");
        assertTrue(of(null, "d1").allows(Access.WRITE, "devices/d1/status"));
        assertFalse(of(null, "d1").allows(Access.WRITE, "devices/d2/status"));
    }

    @Test
    void aWildcardInANameOrIdGrantsNothingThroughAPattern() {
        assertFalse(of("+", "c").allows(Access.READ, "users/alice/x"));
        assertFalse(of("#", "c").allows(Access.READ, "users/x"));
        assertFalse(of(null, "#").allows(Access.WRITE, "devices/x/status"));
        AclPermissions denied = AclRules.parse("t", List.of("topic readwrite #", "pattern deny private/%c/#"))
                .permissionsOf(Principal.anonymous("a+b"));
        assertFalse(denied.allows(Access.READ, "private/anyone/x"), "a deny pattern then covers every value");
        assertTrue(denied.allows(Access.READ, "public/x"));
    }

    @Test
    void clientSectionsAreAnExtension() {
        assertTrue(of("anyone", "sensor-7").allows(Access.WRITE, "telemetry/7"));
        assertFalse(of("anyone", "sensor-8").allows(Access.WRITE, "telemetry/7"));
    }

    @Test
    void aSubscriptionIsRefusedWhenADenyCoversItOrNoReadMeetsIt() {
        AclPermissions alice = of("alice", "a");
        assertTrue(alice.allowsSubscribe("#"), "meets readable topics: granted, filtered per message");
        assertTrue(alice.allowsSubscribe("users/+/inbox"));
        assertFalse(alice.allowsSubscribe("public/private"));
        assertFalse(alice.allowsSubscribe("news/#"), "write only");
        assertFalse(alice.allowsSubscribe("$SYS/#"), "'#' rules do not reach $ topics");
    }

    @Test
    void badLinesNameTheLine() {
        AclException e = assertThrows(AclException.class, () -> AclRules.parse("f", List.of("user a", "topic read a/#/b")));
        assertTrue(e.getMessage().startsWith("acl f line 2:"), e.getMessage());
        assertThrows(AclException.class, () -> AclRules.parse("f", List.of("topics read a")));
        assertThrows(AclException.class, () -> AclRules.parse("f", List.of("user")));
        assertThrows(AclException.class, () -> AclRules.parse("f", List.of("topic read")));
        assertEquals(9, RULES.size());
    }
}
