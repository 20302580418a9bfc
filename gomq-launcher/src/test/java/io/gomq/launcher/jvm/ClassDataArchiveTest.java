package io.gomq.launcher.jvm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which archive flags a start gets, with real files and real processes as the archives' writers. */
class ClassDataArchiveTest {
    @TempDir
    Path dir;

    @Test
    void theFirstStartWritesTheArchiveUnderItsPidAndTheNextMapsIt() throws Exception {
        Path jar = jar();
        ClassDataArchive archive = ClassDataArchive.of(dir.resolve("cache"), jar, List.of()).orElseThrow();
        List<String> first = archive.flags(4242);
        assertTrue(first.get(0).startsWith("-XX:ArchiveClassesAtExit=") && first.get(0).endsWith(".writing-4242"), first.toString());
        assertTrue(first.containsAll(List.of("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off")), first.toString());

        long gone = exitedPid();
        Path written = Path.of(archive.flags(gone).get(0).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.write(written, new byte[4096]); // what the JVM leaves when it exits
        List<String> next = archive.flags(ProcessHandle.current().pid());
        assertEquals("-XX:SharedArchiveFile=" + archive.archive(), next.get(0));
        assertFalse(Files.exists(written), "renamed");
        assertEquals(next, archive.flags(ProcessHandle.current().pid()), "mapped from then on");
    }

    @Test
    void whileAnotherBrokerWritesTheArchiveAStartGoesWithout() throws Exception {
        ClassDataArchive archive = ClassDataArchive.of(dir, jar(), List.of()).orElseThrow();
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            Path writing = Path.of(archive.flags(other.pid()).get(0).substring("-XX:ArchiveClassesAtExit=".length()));
            Files.write(writing, new byte[4096]); // half written: its writer still runs
            assertEquals(List.of(), archive.flags(ProcessHandle.current().pid()));
            assertTrue(Files.exists(writing), "left to its writer");
        } finally {
            other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRebuiltJarGetsANewArchiveAndTheOldOneIsDeleted() throws Exception {
        Path jar = jar();
        ClassDataArchive old = ClassDataArchive.of(dir, jar, List.of()).orElseThrow();
        Files.write(old.archive(), new byte[4096]);
        Path otherJar = Files.write(dir.resolve("other.jar"), new byte[]{1});
        ClassDataArchive unrelated = ClassDataArchive.of(dir, otherJar, List.of()).orElseThrow();
        Files.write(unrelated.archive(), new byte[4096]);

        Files.write(jar, new byte[]{1, 2, 3, 4});
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        ClassDataArchive rebuilt = ClassDataArchive.of(dir, jar, List.of()).orElseThrow();
        assertFalse(rebuilt.archive().equals(old.archive()));
        assertTrue(rebuilt.flags(1).get(0).startsWith("-XX:ArchiveClassesAtExit="));
        assertFalse(Files.exists(old.archive()), "the old build's archive is deleted");
        assertTrue(Files.exists(unrelated.archive()), "another jar's archive stays");
    }

    @Test
    void theUsersOwnClassSharingOptionsWin() throws Exception {
        for (String option : List.of("-Xshare:off", "-XX:SharedArchiveFile=/x.jsa", "-XX:ArchiveClassesAtExit=/y.jsa")) {
            assertTrue(ClassDataArchive.of(dir, jar(), List.of("-Xmx1g", option)).isEmpty(), option);
        }
    }

    private Path jar() throws IOException {
        Path jar = dir.resolve("gomq.jar");
        if (!Files.exists(jar)) {
            Files.write(jar, new byte[]{0});
        }
        return jar;
    }

    private static long exitedPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor(10, TimeUnit.SECONDS);
        return p.pid();
    }
}
