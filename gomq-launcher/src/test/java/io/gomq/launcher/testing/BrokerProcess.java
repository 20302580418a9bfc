package io.gomq.launcher.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gomq.launcher.Main;
import io.gomq.testing.ChildJvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A broker ({@link Main}) in a child JVM started from this test JVM's classpath and flags (as
 * surefire set them, minus agents and -Xmx), on free loopback ports. Ready when its ready line
 * ("GoMQ ready in ... mqtt=HOST:PORT ... http=HOST:PORT") appears on stdout, which is parsed for
 * the ports. Its output goes to {@code <dir>/broker-<n>.log} and is kept in memory for
 * {@link #awaitLine}. {@link #kill()} is a SIGKILL; {@link #start()} again reuses the data dir
 * (a restart). {@link #close()} kills it and deletes the data dir.
 */
public final class BrokerProcess implements AutoCloseable {
    /**
     * With {@code -Dgomq.test.brokerJar=.../gomq.jar} (the crash-loop profile sets it) the broker
     * runs as users start it, {@code java -jar gomq.jar}: its JVM sized and its class-data archive
     * in {@code <dir>/class-archive}. Without it, or before the jar is built, from this classpath.
     */
    private static final String JAR = System.getProperty("gomq.test.brokerJar", "");
    private static final Pattern READY = Pattern.compile("GoMQ ready in \\d+ ms: mqtt=[^ ]+:(\\d+) .*http=[^ ]+:(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path dir;
    private final List<String> args;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private Process process;
    private int starts;
    private volatile int mqttPort = -1;
    private volatile int httpPort = -1;

    /** @param args broker flags besides --data-dir, --bind, --port, --http-port and --ws-port */
    public BrokerProcess(String name, Path dir, String... args) {
        this.name = name;
        this.dir = dir;
        this.args = List.of(args);
    }

    public String name() { return name; }
    public int mqttPort() { return mqttPort; }
    public int httpPort() { return httpPort; }
    public String tcpUri() { return "tcp://127.0.0.1:" + mqttPort; }
    public Path dataDir() { return dir.resolve("data"); }
    public boolean isAlive() { return process != null && process.isAlive(); }
    public long pid() { return process.pid(); }
    /** Whether it runs from gomq.jar (see {@link #JAR}), not from this classpath. */
    public static boolean runsTheJar() { return !JAR.isBlank() && Files.isRegularFile(Path.of(JAR)); }

    /** Starts the child without waiting for it; see {@link #awaitReady}. */
    public BrokerProcess start() throws IOException {
        if (isAlive()) {
            throw new IllegalStateException(name + " runs already");
        }
        // a killed JVM leaves the native libraries it unpacked (LZ4's) in its temp dir: this one goes with dir
        String tmp = "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp"));
        List<String> cmd = new ArrayList<>();
        if (runsTheJar()) {
            cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), tmp, "-jar", JAR,
                    "--class-archive-dir", dir.resolve("class-archive").toString()));
        } else {
            cmd.addAll(ChildJvm.command(List.of(tmp), Main.class));
        }
        cmd.addAll(List.of("--bind", "127.0.0.1", "--port", "0", "--http-port", "0", "--ws-port", "0",
                "--data-dir", dataDir().toString()));
        cmd.addAll(args);
        mqttPort = -1;
        httpPort = -1;
        lines.clear();
        int n = ++starts;
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Process p = process;
        Path logFile = dir.resolve(name + "-" + n + ".log");
        Thread reader = new Thread(() -> pump(p, logFile), "out-" + name + "-" + n);
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    private void pump(Process p, Path logFile) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(logFile), true)) {
            String line;
            while ((line = r.readLine()) != null) {
                out.println(line);
                lines.add(line);
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    mqttPort = Integer.parseInt(m.group(1));
                    httpPort = Integer.parseInt(m.group(2));
                }
            }
        } catch (IOException e) {
            // the child died; its lines so far are kept
        }
    }

    public BrokerProcess awaitReady(Duration timeout) {
        Await.await(name + " ready line (log in " + dir + ")", timeout, () -> {
            if (process != null && !process.isAlive() && mqttPort < 0) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + String.join("\n", lines));
            }
            return mqttPort > 0;
        });
        return this;
    }

    /** Waits for an output line (of the current run) that matches. */
    public String awaitLine(String what, Duration timeout, Predicate<String> matches) {
        String[] found = new String[1];
        Await.await(name + ": " + what, timeout, () -> {
            for (String l : lines) {
                if (matches.test(l)) {
                    found[0] = l;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** SIGKILL: no shutdown hook, the etcd lease is not revoked. Waits for the process to end. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.toHandle().destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM: the shutdown hook closes the broker (steps down, revokes the lease). */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** GET {@code path} on the HTTP API as JSON, or null when the node does not answer. */
    public JsonNode getJson(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The node's role per GET /cluster ("leader", "member", "starting"), or null when it does not answer. */
    public String role() {
        // /health: open to everyone (/cluster needs the admin role once users exist)
        JsonNode n = isAlive() && httpPort > 0 ? getJson("/health") : null;
        return n == null ? null : n.path("role").asText(null);
    }

    @Override
    public void close() throws IOException {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
