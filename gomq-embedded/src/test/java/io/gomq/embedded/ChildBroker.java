package io.gomq.embedded;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class in a child JVM with this JVM's flags and classpath, and kills it with SIGKILL. */
final class ChildBroker {
    private ChildBroker() {
    }

    /**
     * Collects the child's stdout lines; once {@code acksToKillAt} lines start with "ACK" it
     * SIGKILLs the child and reads on to the end: lines written before the kill count.
     */
    static List<String> runUntilKilled(Class<?> main, Path stderr, int acksToKillAt, String... args) throws Exception {
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
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        List<String> lines = new ArrayList<>();
        int acks = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean killed = false;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (!killed && line.startsWith("ACK") && ++acks >= acksToKillAt) {
                    p.toHandle().destroyForcibly(); // SIGKILL mid-load; unlike Process.destroyForcibly it leaves stdout readable
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
