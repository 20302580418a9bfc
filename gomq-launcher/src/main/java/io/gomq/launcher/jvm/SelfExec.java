package io.gomq.launcher.jvm;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Replaces this JVM by one started with sized flags ({@link JvmSizing}) and its class-data
 * archive ({@link ClassDataArchive}): the same java, the
 * user's own JVM options, the same jar and arguments, through {@code execve(2)}. The process
 * stays the same process (same pid, parent, terminal, open standard streams), so SIGTERM and
 * Ctrl-C reach the broker as before and nothing waits in between.
 *
 * <p>Design note: a manifest cannot carry -Xmx, and a broker that only bounds its own queues still
 * lets the JVM size its heap from the machine (a quarter of its memory), which it then fills
 * with garbage before collecting. A launcher process that starts the broker as a child would keep
 * a second JVM resident and have to forward signals; exec has neither cost.
 */
public final class SelfExec {
    /** Set on the re-executed JVM: it runs the broker instead of re-executing again. */
    public static final String MARKER = "gomq.jvm.sized";
    /** glibc's malloc arenas per process; the default (8 per core) grows the RSS of a JVM with many threads. */
    private static final String MALLOC_ARENAS = "MALLOC_ARENA_MAX";

    private SelfExec() {
    }

    /** The libc call, through JNA. */
    private interface LibC extends Library {
        int execve(String path, String[] argv, String[] envp);
    }

    /**
     * The command that starts this jar again sized by {@code sizing}, or empty when this JVM runs the
     * broker itself: it was re-executed already, its heap was sized by the user ({@code -Xmx},
     * {@code -XX:MaxRAM...}), or it was not started with {@code java -jar} (tests, IDEs, embedding).
     */
    public static Optional<List<String>> command(JvmSizing sizing, Path classArchiveDir, String[] args) {
        if (System.getProperty(MARKER) != null) {
            return Optional.empty();
        }
        String jar = System.getProperty("java.class.path", "");
        String started = System.getProperty("sun.java.command", "");
        if (!jar.endsWith(".jar") || jar.contains(File.pathSeparator) || !started.startsWith(jar)) {
            return Optional.empty();
        }
        // only now: the management classes cost a -cp start (tests, embedding) time for nothing
        List<String> options = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (options.stream().anyMatch(SelfExec::sizesHeap)) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(sizing.flags(options));
        command.addAll(classArchiveFlags(classArchiveDir, Path.of(jar), options));
        command.addAll(options); // after ours: a user's -XX:MaxDirectMemorySize=... wins
        command.add("-D" + MARKER + "=true");
        command.add("-jar");
        command.add(jar);
        command.addAll(List.of(args));
        return Optional.of(command);
    }

    /** The class-data archive's flags (see {@link ClassDataArchive}); none when off or its directory is unusable. */
    private static List<String> classArchiveFlags(Path dir, Path jar, List<String> options) {
        if (dir == null) {
            return List.of();
        }
        try {
            Optional<ClassDataArchive> archive = ClassDataArchive.of(dir, jar, options);
            return archive.isPresent() ? archive.get().flags(ProcessHandle.current().pid()) : List.of();
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(SelfExec.class).info("no class-data archive in {}: {}", dir, e.toString());
            return List.of();
        }
    }

    private static boolean sizesHeap(String option) {
        return option.startsWith("-Xmx") || option.startsWith("-XX:MaxHeapSize") || option.startsWith("-XX:MaxRAM");
    }

    /**
     * Executes {@code command} in place of this process. Returns only if that failed, with the
     * reason; the caller then runs the broker in this JVM.
     */
    public static String exec(List<String> command) {
        Map<String, String> env = new TreeMap<>(System.getenv());
        env.putIfAbsent(MALLOC_ARENAS, "2");
        String[] envp = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        String[] argv = command.toArray(new String[0]);
        try {
            LibC libc = Native.load(Platform.C_LIBRARY_NAME, LibC.class); // "libc.so.6": "c" made JNA run ldconfig -p to find it
            System.out.flush();
            System.err.flush();
            libc.execve(argv[0], argv, envp);
            return "execve failed with errno " + Native.getLastError();
        } catch (LinkageError | RuntimeException e) {
            return "execve is not available here (" + e + ")";
        }
    }
}
