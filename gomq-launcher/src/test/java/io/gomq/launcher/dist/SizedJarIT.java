package io.gomq.launcher.dist;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar gomq.jar} sizes its own JVM from {@code --memory}: the process re-executes
 * itself with heap flags (same pid, no child left behind), becomes ready, and SIGTERM stops it
 * cleanly. A heap the user sized, or {@code --memory off}, is left as it is.
 */
@Timeout(120)
class SizedJarIT {
    private static final Pattern READY = Pattern.compile("GoMQ ready in \\d+ ms: mqtt=127\\.0\\.0\\.1:(\\d+) .*http=127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }

    @Test
    void theJarReExecutesItselfSizedAndStopsOnSigterm() throws Exception {
        Broker b = start(List.of(), "--memory", "192m");
        List<String> cmdline = cmdline(b.process.pid());
        assertTrue(cmdline.contains("-Xmx96m") && cmdline.contains("-Dgomq.jvm.sized=true"), cmdline.toString());
        assertTrue(cmdline.contains("-XX:MaxDirectMemorySize=24m"), cmdline.toString());
        assertTrue(cmdline.contains("-XX:+UseSerialGC"), cmdline.toString());
        assertEquals(b.process.pid(), statsPid(b.httpPort), "the broker runs in the process that was started");
        assertEquals(0, b.process.children().count(), "no child process: exec replaced the JVM");

        b.process.toHandle().destroy(); // SIGTERM
        assertTrue(b.process.waitFor(30, TimeUnit.SECONDS), "broker did not stop on SIGTERM");
        b.drain.join(5_000);
        assertTrue(b.output.stream().anyMatch(l -> l.contains("GoMQ stopped")), "clean shutdown: " + b.output);
    }

    @Test
    void aHeapTheUserSizedOrMemoryOffIsLeftAsItIs() throws Exception {
        Broker userSized = start(List.of("-Xmx200m"));
        List<String> cmdline = cmdline(userSized.process.pid());
        assertTrue(cmdline.contains("-Xmx200m"), cmdline.toString());
        assertFalse(cmdline.contains("-Dgomq.jvm.sized=true"), cmdline.toString());

        Broker off = start(List.of(), "--memory", "off");
        assertFalse(cmdline(off.process.pid()).contains("-Dgomq.jvm.sized=true"));
    }

    @Test
    void theFirstCleanStopWritesAClassDataArchiveThatLaterStartsMap() throws Exception {
        Broker first = start(List.of());
        String writing = flagValue(cmdline(first.process.pid()), "-XX:ArchiveClassesAtExit=");
        assertTrue(writing.startsWith(archives().toString()), writing);
        first.process.toHandle().destroy(); // SIGTERM: the JVM writes the archive as it exits
        assertTrue(first.process.waitFor(60, TimeUnit.SECONDS), "broker did not stop on SIGTERM");
        assertTrue(Files.size(Path.of(writing)) > 1_000_000, "archive written: " + writing);

        Broker second = start(List.of());
        String mapped = flagValue(cmdline(second.process.pid()), "-XX:SharedArchiveFile=");
        assertTrue(Files.isRegularFile(Path.of(mapped)) && mapped.endsWith(".jsa"), mapped);
        assertFalse(Files.exists(Path.of(writing)), "the finished archive was renamed");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (second.output.stream().noneMatch(l -> l.contains("class-data archive " + mapped)) && System.nanoTime() < until) {
            Thread.sleep(20); // the line follows the ready line
        }
        assertTrue(second.output.stream().anyMatch(l -> l.contains("class-data archive " + mapped)), second.output.toString());
        assertTrue(second.output.stream().noneMatch(l -> l.contains("[cds]") || l.contains("warning")), second.output.toString());

        Broker off = start(List.of(), "--class-archive-dir", "off");
        assertTrue(cmdline(off.process.pid()).stream().noneMatch(o -> o.contains("Archive")), "off: no archive");
    }

    private Path archives() {
        return dir.resolve("class-archive");
    }

    private static String flagValue(List<String> cmdline, String prefix) {
        return cmdline.stream().filter(o -> o.startsWith(prefix)).findFirst()
                .map(o -> o.substring(prefix.length())).orElseThrow(() -> new AssertionError(prefix + " in " + cmdline));
    }

    private record Broker(Process process, int httpPort, List<String> output, Thread drain) {
    }

    private Broker start(List<String> jvmOptions, String... flags) throws IOException {
        Path jar = Path.of(System.getProperty("gomq.jar", "missing: run mvn verify"));
        assertTrue(Files.isRegularFile(jar), "no jar " + jar);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString(), "--bind", "127.0.0.1", "--port", "0", "--http-port", "0",
                "--ws-port", "0", "--data-dir", dir.resolve("data-" + processes.size()).toString()));
        if (!List.of(flags).contains("--class-archive-dir")) {
            cmd.addAll(List.of("--class-archive-dir", archives().toString())); // never the user's cache
        }
        cmd.addAll(List.of(flags));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("GOMQ_") || k.equals("JAVA_TOOL_OPTIONS"));
        Process p = pb.start();
        processes.add(p);
        List<String> output = new CopyOnWriteArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Matcher ready = null;
        for (String line; ready == null && (line = r.readLine()) != null; ) {
            output.add(line);
            Matcher m = READY.matcher(line);
            if (m.find()) {
                ready = m;
            }
        }
        assertTrue(ready != null, "no ready line: " + output);
        Thread drain = new Thread(() -> r.lines().forEach(output::add), "broker-output");
        drain.setDaemon(true);
        drain.start();
        return new Broker(p, Integer.parseInt(ready.group(2)), output, drain);
    }

    private static List<String> cmdline(long pid) throws IOException {
        String raw = Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline"));
        return List.of(raw.split("\0"));
    }

    private static long statsPid(int httpPort) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body()).get("pid").asLong();
    }
}
