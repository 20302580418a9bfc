package io.gomq.core.testing;

import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real, small file system for disk-full tests: a tmpfs of a few MB mounted on a fresh
 * directory (needs root, as on this machine and in CI). Without root, or when the mount fails,
 * the test is skipped through a JUnit assumption, and says so loudly. {@link #fillTo} takes the
 * free space with a ballast file written block by block (real pages, not a sparse file).
 *
 * <p>Thread rules: one test thread.
 */
public final class SmallFileSystem implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmallFileSystem.class);

    private final Path dir;
    private final Path ballast;

    private SmallFileSystem(Path dir) {
        this.dir = dir;
        this.ballast = dir.resolve("ballast");
    }

    /** Mounts a tmpfs of {@code megabytes} MB on a new directory under {@code parent}, or skips the test. */
    public static SmallFileSystem mount(Path parent, int megabytes) throws IOException {
        Path dir = Files.createTempDirectory(parent, "smallfs");
        String why = null;
        if (!"0".equals(run(List.of("id", "-u")).trim())) {
            why = "not running as root";
        } else {
            String out = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", dir.toString()));
            if (!isMounted(dir)) {
                why = "mount -t tmpfs failed: " + out.trim();
            }
        }
        if (why != null) {
            String msg = "SKIPPED: this disk-full test needs a small tmpfs and " + why;
            LOG.warn("**************** {} ****************", msg);
            System.err.println("**************** " + msg + " ****************");
            Files.deleteIfExists(dir);
            Assumptions.abort(msg);
        }
        return new SmallFileSystem(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Grows (or shrinks) the file system to {@code megabytes} MB in place. */
    public void resize(int megabytes) throws IOException {
        String out = run(List.of("mount", "-o", "remount,size=" + megabytes + "m", dir.toString()));
        if (totalBytes() != megabytes * 1024L * 1024L) {
            throw new IOException("remount to " + megabytes + " MB failed: " + out);
        }
    }

    public long freeBytes() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    public long totalBytes() throws IOException {
        return Files.getFileStore(dir).getTotalSpace();
    }

    /** Writes a ballast file until at most {@code leaveFreeBytes} are free (0: the file system is full). */
    public void fillTo(long leaveFreeBytes) throws IOException {
        byte[] block = new byte[4096];
        java.util.Arrays.fill(block, (byte) 0x5A);
        try (RandomAccessFile f = new RandomAccessFile(ballast.toFile(), "rw")) {
            f.seek(f.length());
            while (freeBytes() > leaveFreeBytes) {
                int n = (int) Math.min(block.length, Math.max(1, freeBytes() - leaveFreeBytes));
                f.write(block, 0, n);
            }
        } catch (IOException e) {
            if (!e.getMessage().contains("No space")) {
                throw e;
            }
        }
    }

    /** Deletes the ballast. */
    public void freeBallast() throws IOException {
        Files.deleteIfExists(ballast);
    }

    /** Unmounts (lazily if something still holds a file) and removes the directory. */
    @Override
    public void close() throws IOException {
        run(List.of("umount", dir.toString()));
        if (isMounted(dir)) {
            run(List.of("umount", "-l", dir.toString()));
        }
        if (!isMounted(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static boolean isMounted(Path dir) throws IOException {
        String mounts = Files.readString(Path.of("/proc/mounts"));
        return mounts.contains(" " + dir.toAbsolutePath() + " tmpfs ");
    }

    private static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out: " + cmd;
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted: " + cmd;
        }
    }
}
