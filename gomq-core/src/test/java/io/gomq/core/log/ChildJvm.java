package io.gomq.core.log;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link CrashChild} in a child JVM with this JVM's flags, reads its ACK lines, kills it with SIGKILL. */
final class ChildJvm {
    private ChildJvm() {
    }

    /** Runs the child until it acknowledged at least {@code acks} operations, then kills it; returns the ACK lines. */
    static List<String> runAndKill(String mode, Path dir, int acks) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-Xmx")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CrashChild.class.getName());
        cmd.add(mode);
        cmd.add(dir.toString());
        Process p = new ProcessBuilder(cmd).redirectError(new File(dir.toFile(), "../child-stderr-" + mode + ".txt"))
                .start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    lines.add(line);
                    if (lines.size() >= acks) {
                        p.destroyForcibly(); // SIGKILL mid-run: the child is still appending
                        break;
                    }
                }
            }
            p.waitFor(10, TimeUnit.SECONDS); // destroyForcibly closed our end of its stdout: later ACKs are not counted
        } finally {
            p.destroyForcibly();
        }
        if (lines.isEmpty()) {
            throw new AssertionError("child printed nothing; exit " + p.exitValue());
        }
        return lines;
    }
}
