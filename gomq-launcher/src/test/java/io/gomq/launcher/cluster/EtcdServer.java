package io.gomq.launcher.cluster;

import io.gomq.launcher.testing.TestPki;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real etcd for tests: its own free loopback ports, a temp data dir, ready when /health says
 * so; {@link #close()} kills it and deletes the dir. Never assumes 2379. Fails (does not skip)
 * when the etcd binary is missing: CI installs it with {@code apt-get install etcd-server}.
 */
public final class EtcdServer implements AutoCloseable {
    private final Path dir;
    private final int clientPort;
    private final List<String> command;
    private final SSLContext healthTls;
    private volatile Process process;

    private EtcdServer(Path dir, int clientPort, List<String> command, SSLContext healthTls, Process process) {
        this.dir = dir;
        this.clientPort = clientPort;
        this.command = command;
        this.healthTls = healthTls;
        this.process = process;
    }

    public static EtcdServer start() throws Exception {
        return start(null, null);
    }

    /**
     * etcd on https:// with client certificate authentication: {@code server} is its certificate,
     * clients must present one {@code server}'s CA signed; {@code healthClient} is the one the
     * readiness check presents.
     */
    public static EtcdServer startTls(TestPki.Issued server, TestPki.Issued healthClient) throws Exception {
        return start(server, healthClient.sslContext(server.issuer()));
    }

    private static EtcdServer start(TestPki.Issued tls, SSLContext healthTls) throws Exception {
        return start(tls, healthTls, true);
    }

    private static EtcdServer start(TestPki.Issued tls, SSLContext healthTls, boolean launch) throws Exception {
        String binary = findBinary();
        Path dir = Files.createTempDirectory("gomq-etcd-");
        int client = freePort();
        int peer = freePort();
        String c = (tls == null ? "http" : "https") + "://127.0.0.1:" + client;
        String p = "http://127.0.0.1:" + peer;
        List<String> command = new ArrayList<>(List.of(binary, "--name", "n1", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", c, "--advertise-client-urls", c,
                "--listen-peer-urls", p, "--initial-advertise-peer-urls", p,
                "--initial-cluster", "n1=" + p, "--logger=zap", "--log-level=warn"));
        if (tls != null) {
            command.addAll(List.of("--cert-file", tls.certFile().toString(), "--key-file", tls.keyFile().toString(),
                    "--trusted-ca-file", tls.issuer().certFile().toString(), "--client-cert-auth"));
        }
        EtcdServer s = new EtcdServer(dir, client, command, healthTls, null);
        if (launch) {
            s.launch();
        }
        return s;
    }

    /**
     * An etcd whose ports and directory are chosen but which is not running yet ({@link #launch}
     * starts it): a node can be pointed at it before etcd exists.
     */
    public static EtcdServer notStarted() throws Exception {
        return start(null, null, false);
    }

    /** Starts a {@link #notStarted()} etcd; returns once it is healthy. */
    public void launch() throws Exception {
        process = launch(command, dir);
        try {
            awaitReady();
        } catch (Exception e) {
            String log = Files.exists(dir.resolve("etcd.log")) ? Files.readString(dir.resolve("etcd.log")) : "";
            close();
            throw new IllegalStateException("etcd did not become ready on port " + clientPort + ":\n" + log, e);
        }
    }

    private static Process launch(List<String> command, Path dir) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log").toFile())).start();
    }

    /** SIGKILLs etcd, keeping its data dir (for {@link #restart()}). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Starts etcd again on the same ports and data (after {@link #kill()}); returns once healthy. */
    public void restart() throws Exception {
        process = launch(command, dir);
        awaitReady();
    }

    private static String findBinary() {
        for (String candidate : List.of("/usr/bin/etcd", "/usr/local/bin/etcd")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                if (Files.isExecutable(Path.of(d, "etcd"))) {
                    return Path.of(d, "etcd").toString();
                }
            }
        }
        throw new IllegalStateException("the etcd binary is missing: the cluster tests need a real etcd; "
                + "install it with `apt-get install etcd-server` (Debian/Ubuntu)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private void awaitReady() throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200));
        HttpClient http = (healthTls == null ? b : b.sslContext(healthTls)).build();
        long deadline = System.nanoTime() + 15_000_000_000L;
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with " + process.exitValue());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                        .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("true")) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("etcd not healthy within 15 s", last);
    }

    public String endpoint() {
        return (healthTls == null ? "http" : "https") + "://127.0.0.1:" + clientPort;
    }

    public URI uri() {
        return URI.create(endpoint());
    }

    @Override
    public void close() throws IOException {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
