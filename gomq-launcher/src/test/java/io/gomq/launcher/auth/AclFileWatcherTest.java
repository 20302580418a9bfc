package io.gomq.launcher.auth;

import io.gomq.core.auth.Access;
import io.gomq.core.auth.Principal;
import io.gomq.launcher.testing.Await;
import static io.gomq.launcher.testing.AtomicFiles.replace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(20)
class AclFileWatcherTest {
    @TempDir
    Path dir;

    private static final Principal ANYONE = Principal.anonymous("c");

    @Test
    void aChangedFileIsReloadedAndABrokenOneKeepsTheRulesInForce() throws Exception {
        Path file = Files.writeString(dir.resolve("acl"), "topic readwrite open/#\n");
        ReloadableAcl acl = new ReloadableAcl(AclRules.load(file));
        try (AclFileWatcher watcher = new AclFileWatcher(file, acl, 50)) {
            replace(file, "topic readwrite other/#\n");
            Await.await("reloaded", () -> acl.version() == 1);
            assertTrue(acl.permissionsOf(ANYONE).allows(Access.WRITE, "other/x"));
            assertFalse(acl.permissionsOf(ANYONE).allows(Access.WRITE, "open/x"));

            replace(file, "topic readwrite #\nbogus line\n");
            Await.await("refused", () -> watcher.failedReloads() == 1);
            assertEquals(1, acl.version(), "the rules in force stay");
            assertFalse(acl.permissionsOf(ANYONE).allows(Access.WRITE, "anything"));

            watcher.reloadNow(); // SIGHUP: reloads even when nothing looks changed
            Await.await("refused again", () -> watcher.failedReloads() == 2);
            replace(file, "topic readwrite #\n");
            watcher.reloadNow();
            Await.await("reloaded", () -> acl.version() >= 2);
            assertTrue(acl.permissionsOf(ANYONE).allows(Access.WRITE, "anything"));
        }
    }
}
