package io.gomq.launcher.jvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The class-data archive (AppCDS) that makes the sized JVM start faster: the classes the broker
 * loads, already parsed and verified, mapped from one file instead of read from the jar. The
 * first start writes it when the JVM exits normally ({@code -XX:ArchiveClassesAtExit}); later
 * starts map it ({@code -XX:SharedArchiveFile}). Measured here: 20 restarts after kill -9 under
 * load were ready in 0.9-1.3 s with the archive, against 1.9 s median and up to 2.1 s without.
 *
 * <p>Its name carries a digest of the jar (path, size, time) and of the JVM (home, version), so
 * a rebuilt jar or another JDK never maps a stale archive; archives of an older build of the same
 * jar path are deleted. The JVM writes the archive under a temporary name that carries its pid
 * (an exec keeps the pid, so it is known beforehand); the next start renames it once that process
 * is gone, so two brokers started from one jar never write the same file. The JVM itself rejects
 * an archive it cannot use (a truncated file, another class path) and then starts without it.
 * Its messages about classes it cannot archive (old class-file versions in dependencies) are
 * silenced: they are not the user's to act on.
 */
public final class ClassDataArchive {
    private static final String SUFFIX = ".jsa";
    private static final String WRITING = ".writing-";
    private static final List<String> QUIET = List.of("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    private final Path dir;
    private final String jarKey;
    private final String name;

    private ClassDataArchive(Path dir, String jarKey, String buildKey) {
        this.dir = dir;
        this.jarKey = jarKey;
        this.name = jarKey + "-" + buildKey;
    }

    /**
     * The archive for {@code jar} run by this JVM in {@code dir}, or empty when the user's own
     * options already choose class sharing ({@code -Xshare}, {@code -XX:SharedArchiveFile}, ...).
     */
    static Optional<ClassDataArchive> of(Path dir, Path jar, List<String> userOptions) throws IOException {
        if (userOptions.stream().anyMatch(o -> o.startsWith("-Xshare") || o.contains("SharedArchiveFile")
                || o.contains("ArchiveClassesAtExit") || o.contains("DumpSharedSpaces"))) {
            return Optional.empty();
        }
        Path abs = jar.toAbsolutePath().normalize();
        String jarKey = digest(abs.toString()).substring(0, 16);
        String buildKey = digest(Files.size(abs) + "|" + Files.getLastModifiedTime(abs).toMillis() + "|"
                + System.getProperty("java.home") + "|" + System.getProperty("java.vm.version")).substring(0, 16);
        return Optional.of(new ClassDataArchive(dir, jarKey, buildKey));
    }

    /** For the log, in a JVM that {@link SelfExec} started: which archive it maps, or that it writes one at exit. */
    public static Optional<String> describeThisJvm() {
        if (System.getProperty(SelfExec.MARKER) == null) {
            return Optional.empty(); // not the sized jar: no archive, and no management classes to load
        }
        for (String o : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (o.startsWith("-XX:SharedArchiveFile=")) {
                return Optional.of("class-data archive " + o.substring(o.indexOf('=') + 1));
            }
            if (o.startsWith("-XX:ArchiveClassesAtExit=")) {
                return Optional.of("writes a class-data archive at exit for faster later starts (a few seconds, once), to "
                        + o.substring(o.indexOf('=') + 1) + "; --class-archive-dir off does without");
            }
        }
        return Optional.empty();
    }

    /** The archive this JVM maps. */
    Path archive() {
        return dir.resolve(name + SUFFIX);
    }

    /**
     * The flags for the JVM that will run as {@code pid}: map the archive if it exists, else write
     * it at exit; empty if another running broker writes it now or the directory is not writable.
     */
    List<String> flags(long pid) throws IOException {
        Files.createDirectories(dir);
        if (!Files.isWritable(dir)) {
            return List.of();
        }
        boolean beingWritten = adoptFinished();
        if (Files.isRegularFile(archive())) {
            return concat("-XX:SharedArchiveFile=" + archive());
        }
        if (beingWritten) {
            return List.of();
        }
        return concat("-XX:ArchiveClassesAtExit=" + dir.resolve(name + WRITING + pid));
    }

    /**
     * Renames an archive whose writer has exited to {@link #archive()} and deletes other builds'
     * archives of this jar; true if a writer of this build still runs.
     */
    private boolean adoptFinished() throws IOException {
        boolean running = false;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, jarKey + "-*")) {
            for (Path f : files) {
                String file = f.getFileName().toString();
                int writing = file.indexOf(WRITING);
                boolean thisBuild = file.startsWith(name);
                if (writing < 0) {
                    if (!thisBuild) {
                        Files.deleteIfExists(f); // an older build's
                    }
                    continue;
                }
                if (writerRuns(file.substring(writing + WRITING.length()))) {
                    running |= thisBuild;
                } else if (thisBuild && Files.size(f) > 0 && !Files.exists(archive())) {
                    move(f, archive());
                } else {
                    Files.deleteIfExists(f);
                }
            }
        }
        return running;
    }

    private static boolean writerRuns(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static List<String> concat(String flag) {
        List<String> flags = new ArrayList<>(QUIET.size() + 1);
        flags.add(flag);
        flags.addAll(QUIET);
        return flags;
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
