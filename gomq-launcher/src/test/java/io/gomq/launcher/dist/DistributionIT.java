package io.gomq.launcher.dist;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distribution archive as a user meets it: unpacked with tar, the broker started by
 * bin/gomq with the shipped config from another directory, gomqctl run through a symlink
 * with java found on PATH, then SIGTERM. Runs in Maven's verify phase: the archive is made by package.
 */
@Timeout(120)
class DistributionIT {
    private static final Pattern READY = Pattern.compile("GoMQ ready in \\d+ ms: mqtt=127\\.0\\.0\\.1:(\\d+) .*http=127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    private record Run(int code, String out) {
    }

    @Test
    void unpackedArchiveRunsTheBrokerAndTheClient() throws Exception {
        Path home = unpack();
        for (String f : List.of("bin/gomq", "bin/gomqctl")) {
            assertTrue(Files.isExecutable(home.resolve(f)), f);
        }
        for (String f : List.of("lib/gomq.jar", "lib/gomqctl.jar", "config/gomq.yaml", "README.txt")) {
            assertTrue(Files.isRegularFile(home.resolve(f)), f);
        }
        assertTrue(Files.readString(home.resolve("completion/gomqctl.bash")).contains("complete -F _complete_gomqctl"));
        String unit = Files.readString(home.resolve("systemd/gomq.service"));
        for (String line : List.of("User=gomq", "Restart=on-failure", "LimitNOFILE=", "StateDirectory=gomq",
                "ExecStart=/opt/gomq/bin/gomq --config /etc/gomq/gomq.yaml")) {
            assertTrue(unit.contains(line), line);
        }

        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path data = dir.resolve("data");
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/gomq").toString(),
                "--config", home.resolve("config/gomq.yaml").toString(),
                "--bind", "127.0.0.1", "--port", "0", "--http-port", "0", "--ws-port", "0", "--data-dir", data.toString(),
                "--class-archive-dir", dir.resolve("class-archive").toString()));
        ProcessBuilder broker = new ProcessBuilder(cmd).directory(elsewhere.toFile()).redirectErrorStream(true);
        cleanEnv(broker.environment());
        broker.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = start(broker);
        List<String> output = new CopyOnWriteArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Matcher ready = null;
        for (String line; (line = r.readLine()) != null; ) {
            output.add(line);
            Matcher m = READY.matcher(line);
            if (m.find()) {
                ready = m;
                break;
            }
        }
        assertTrue(ready != null, "no ready line: " + output);
        Thread drain = new Thread(() -> r.lines().forEach(output::add), "broker-output");
        drain.start();

        // gomqctl through a symlink in another directory, java from PATH, the broker from GOMQ_*
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("links")).resolve("gomqctl"),
                home.resolve("bin/gomqctl"));
        Map<String, String> env = Map.of("GOMQ_CONNECT", "127.0.0.1:" + ready.group(1), "GOMQ_HTTP", "127.0.0.1:" + ready.group(2));
        Run pub = gomqctl(link, elsewhere, env, "--topic", "dist/t", "--qos", "1", "--retain", "1", "pub", "hello", "dist");
        assertEquals(new Run(0, ""), pub);
        Run sub = gomqctl(link, elsewhere, env, "--topic", "dist/#", "sub", "--count", "1");
        assertEquals(new Run(0, "dist/t\thello dist\n"), sub);
        Run list = gomqctl(link, elsewhere, env, "--topic", "dist/t", "list");
        assertTrue(list.code() == 0 && list.out().endsWith("\thello dist\n"), list.toString());

        p.toHandle().destroy(); // SIGTERM
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "broker did not stop on SIGTERM");
        drain.join(5_000);
        assertTrue(output.stream().anyMatch(l -> l.contains("GoMQ stopped")), "clean shutdown: " + output);
        assertTrue(Files.isDirectory(data), "the log is where --data-dir says");
        assertTrue(Files.notExists(elsewhere.resolve("data")), "nothing written to the working directory");
    }

    private Path unpack() throws IOException, InterruptedException {
        Path archive = Path.of(System.getProperty("gomq.dist.archive", "missing: run mvn verify"));
        assertTrue(Files.isRegularFile(archive), "no archive " + archive);
        Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
        Process tar = start(new ProcessBuilder("tar", "xzf", archive.toString(), "-C", unpacked.toString())
                .redirectErrorStream(true));
        String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0, "tar: " + out);
        try (Stream<Path> top = Files.list(unpacked)) {
            List<Path> dirs = top.toList();
            assertEquals(1, dirs.size(), "one top directory: " + dirs);
            String name = archive.getFileName().toString().replace(".tar.gz", "");
            assertEquals(name, dirs.get(0).getFileName().toString());
            return dirs.get(0);
        }
    }

    /** Runs gomqctl as a user would: JAVA_HOME unset, java found on PATH. */
    private Run gomqctl(Path script, Path cwd, Map<String, String> vars, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        cleanEnv(b.environment());
        b.environment().remove("JAVA_HOME");
        b.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
        b.environment().putAll(vars);
        Process p = start(b);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "gomqctl " + List.of(args) + " did not end");
        return new Run(p.exitValue(), out);
    }

    private Process start(ProcessBuilder b) throws IOException {
        Process p = b.start();
        processes.add(p);
        return p;
    }

    /** Our GOMQ_* variables in the test's environment would change the broker or the client. */
    private static void cleanEnv(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("GOMQ_") || k.equals("JAVA_OPTS"));
    }
}
