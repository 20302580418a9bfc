package io.gomq.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Child JVMs for tests that kill or restart a process: the same java, this JVM's flags as
 * surefire set them (Chronicle's --add-opens among them) minus agents and -Xmx, and this
 * classpath. Shared by every module's tests through gomq-core's test-jar.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** The command line that runs {@code main} with {@code args} in a child JVM. */
    public static List<String> command(Class<?> main, String... args) {
        return command(List.of(), main, args);
    }

    /** The same, with JVM {@code options} of its own after this JVM's (a later -D wins). */
    public static List<String> command(List<String> options, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-Xmx")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx256m");
        cmd.addAll(options);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs {@code main} and collects its stdout lines; once {@code acksToKillAt} lines start with
     * "ACK" it SIGKILLs the child mid-run and reads on to the end, so every line written before
     * the kill counts. Stderr goes to {@code stderr}.
     */
    public static List<String> runUntilKilled(Class<?> main, Path stderr, int acksToKillAt, String... args)
            throws Exception {
        Process p = new ProcessBuilder(command(main, args)).redirectError(stderr.toFile()).start();
        List<String> lines = new ArrayList<>();
        int acks = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean killed = false;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (!killed && line.startsWith("ACK") && ++acks >= acksToKillAt) {
                    p.toHandle().destroyForcibly(); // unlike Process.destroyForcibly it leaves stdout readable
                    killed = true;
                }
            }
            p.waitFor(10, TimeUnit.SECONDS);
        } finally {
            p.destroyForcibly();
        }
        if (acks == 0) {
            throw new AssertionError("child acknowledged nothing; see " + stderr);
        }
        return lines;
    }
}
