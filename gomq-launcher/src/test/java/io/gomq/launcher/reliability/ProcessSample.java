package io.gomq.launcher.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One reading of a child JVM's resources (Linux): heap in use right after a full GC (jcmd
 * GC.run, then GC.heap_info, in one jcmd call), resident set size and thread count from
 * /proc/PID/status, open file descriptors from /proc/PID/fd.
 */
record ProcessSample(long heapAfterGcKb, long rssKb, int threads, int fds) {
    /** "total 262144K, used 53248K" of each heap generation line (G1: one; Serial, Parallel: two). */
    private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

    static ProcessSample of(long pid, Path scratch) throws IOException, InterruptedException {
        Path commands = scratch.resolve("jcmd-commands");
        Files.writeString(commands, "GC.run\nGC.heap_info\n");
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "-f", commands.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        long heap = 0;
        Matcher m = USED.matcher(out);
        while (m.find()) {
            heap += Long.parseLong(m.group(1));
        }
        if (heap == 0) {
            throw new IOException("no heap figure from jcmd: " + out);
        }
        long rss = -1;
        int threads = -1;
        List<String> status = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"));
        for (String line : status) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.replaceAll("\\D", ""));
            }
        }
        int fds;
        try (Stream<Path> s = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            fds = (int) s.count();
        }
        return new ProcessSample(heap, rss, threads, fds);
    }
}
