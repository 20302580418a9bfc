package io.gomq.bench.connections;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The broker's process as Linux shows it in /proc: resident memory and CPU time. */
record BrokerProcess(long pid) {
    /** Clock ticks per second of /proc/PID/stat's times (USER_HZ: 100 on every Linux we run on). */
    private static final long TICKS_PER_SECOND = 100;

    /** The pid a GoMQ broker's {@code GET /stats} reports. */
    static BrokerProcess fromStats(URI http) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(http.resolve("/stats"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        long pid = new ObjectMapper().readTree(r.body()).path("pid").asLong();
        if (r.statusCode() != 200 || pid <= 0) {
            throw new IOException(http + "/stats names no pid (HTTP " + r.statusCode() + "): pass --pid");
        }
        return new BrokerProcess(pid);
    }

    /** Resident set size now, KiB. */
    long rssKb() throws IOException {
        return statusKb("VmRSS:");
    }

    /** Peak resident set size since the start, KiB. */
    long peakRssKb() throws IOException {
        return statusKb("VmHWM:");
    }

    /** User plus system CPU time so far, milliseconds. */
    long cpuMillis() throws IOException {
        return cpuMillis(Path.of("/proc", String.valueOf(pid), "stat"));
    }

    /**
     * CPU time so far of the process's JIT compiler threads (HotSpot's "C1/C2 CompilerThread"),
     * milliseconds; 0 for a process without them. Part of {@link #cpuMillis()}: the part a longer
     * warm-up shrinks.
     */
    long compilerCpuMillis() throws IOException {
        long ms = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path t : tasks) {
                try {
                    String name = Files.readString(t.resolve("comm"));
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        ms += cpuMillis(t.resolve("stat"));
                    }
                } catch (IOException ended) {
                    // the thread ended meanwhile
                }
            }
        }
        return ms;
    }

    /** This tool's own CPU time so far, milliseconds. */
    static long ownCpuMillis() throws IOException {
        return cpuMillis(Path.of("/proc/self/stat"));
    }

    private static long cpuMillis(Path stat) throws IOException {
        String s = Files.readString(stat);
        // fields after the command name, which is in parentheses and may hold spaces
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / TICKS_PER_SECOND;
    }

    private long statusKb(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no " + key + " in /proc/" + pid + "/status");
    }
}
