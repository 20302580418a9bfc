package io.gomq.launcher.cli;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.config.LauncherConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GOMQ_CONNECT and GOMQ_HTTP: the broker set once per shell; flags still win. */
@Timeout(60)
class EnvironmentTest {
    @TempDir
    Path dir;

    private static GomqCtl parse(Map<String, String> env, String... args) {
        CommandLine cli = GomqCtl.commandLine(System.in, env);
        cli.parseArgs(args);
        return cli.getCommand();
    }

    private static CtlRun run(Map<String, String> env, String... args) {
        return CtlRun.of(env, args);
    }

    @Test
    void connectComesFromTheVariableUnlessTheFlagIsGiven() {
        Map<String, String> env = Map.of("GOMQ_CONNECT", "a:9001,b:9002");
        assertEquals(List.of(new BrokerAddress("a", 9001), new BrokerAddress("b", 9002)), parse(env, "version").mqttAddresses());
        assertEquals(List.of(new BrokerAddress("c", 9003)), parse(env, "--connect", "c:9003", "version").mqttAddresses());
        assertEquals(List.of(new BrokerAddress("127.0.0.1", BrokerAddress.DEFAULT_MQTT_PORT)), parse(Map.of(), "version").mqttAddresses());
    }

    @Test
    void httpComesFromTheVariableUnlessHttpOrConnectFlagsAreGiven() {
        Map<String, String> env = Map.of("GOMQ_CONNECT", "a:9001", "GOMQ_HTTP", "web:8080");
        assertEquals(List.of(new BrokerAddress("web", 8080)), parse(env, "version").httpAddresses());
        assertEquals(List.of(new BrokerAddress("h", 8081)), parse(env, "--http", "h:8081", "version").httpAddresses());
        // another broker on the command line means its HTTP API too, not the variable's
        assertEquals(List.of(new BrokerAddress("c", 8000)), parse(env, "--connect", "c:9003", "version").httpAddresses());
        assertEquals(List.of(new BrokerAddress("a", 8000)),
                parse(Map.of("GOMQ_CONNECT", "a:9001"), "version").httpAddresses());
    }

    @Test
    void badVariableIsAUsageErrorNamingIt() {
        CtlRun r = run(Map.of("GOMQ_CONNECT", "a:x"), "--topic", "A", "pub", "hi");
        assertEquals(ExitCode.USAGE, r.code());
        assertTrue(r.err().contains("GOMQ_CONNECT 'a:x'"), r.err());
        CtlRun http = run(Map.of("GOMQ_HTTP", "[::1"), "--topic", "A", "list");
        assertEquals(ExitCode.USAGE, http.code());
        assertTrue(http.err().contains("GOMQ_HTTP"), http.err());
    }

    @Test
    void pubListAndReplayReachTheBrokerNamedByTheVariables() {
        LauncherConfig config = new LauncherConfig().bind("127.0.0.1").port(0).httpPort(0).wsPort(0);
        config.broker().dataDir(dir.resolve("data"));
        try (StandaloneBroker broker = StandaloneBroker.start(config)) {
            Map<String, String> env = Map.of("GOMQ_CONNECT", "127.0.0.1:" + broker.mqttPort(),
                    "GOMQ_HTTP", "127.0.0.1:" + broker.httpPort());
            CtlRun pub = run(env, "--topic", "A", "--qos", "1", "--retain", "1", "pub", "from", "env");
            assertEquals(0, pub.code(), pub.err());
            CtlRun list = run(env, "--topic", "A", "list");
            assertEquals(0, list.code(), list.err());
            assertTrue(list.out().endsWith("\tfrom env\n"), list.out());
            CtlRun replay = run(env, "--topic", "A", "sub", "--from", "earliest", "--count", "1");
            assertEquals("A\tfrom env\n", replay.out(), replay.err());
            // the flag wins: this --connect names nothing that listens
            CtlRun flag = run(env, "--connect", "127.0.0.1:1", "--topic", "A", "pub", "x");
            assertEquals(ExitCode.UNREACHABLE, flag.code(), flag.err());
        }
    }
}
