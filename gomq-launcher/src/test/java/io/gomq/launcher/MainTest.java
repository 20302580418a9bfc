package io.gomq.launcher;

import io.gomq.launcher.config.ConfigKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private StandaloneBroker started;

    /** Runs Main in-process; a started broker is closed again at once. */
    private int run(Map<String, String> env, String... args) {
        return Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true), b -> started = b);
    }

    @Test
    void helpListsEverySettingWithItsDefault() {
        assertEquals(0, run(Map.of(), "--help"));
        String help = out.toString().replaceAll("\\s+", " ");
        for (ConfigKey k : ConfigKey.values()) {
            assertTrue(help.contains("--" + k.key() + (k.isSwitch() ? "[=BOOL]" : "=")), k.key() + " in " + help);
            if (k.defaultText() != null) {
                assertTrue(help.contains("(default " + k.defaultText() + ")"), k.key() + " default in " + help);
            }
        }
        assertTrue(help.contains("--ws-port=PORT MQTT over WebSocket port"), help);
        assertTrue(help.contains("(default 9001)") && help.contains("(default /mqtt)"), help);
        assertTrue(help.contains("--config=FILE") && help.contains("--version"), help);
    }

    @Test
    void badSettingExitsWithTwoAndNamesTheKey() {
        assertEquals(2, run(Map.of("GOMQ_PORT", "x")));
        assertTrue(err.toString().contains("GOMQ_PORT"), err.toString());
    }

    @Test
    void unknownFlagExitsWithTwo() {
        assertEquals(2, run(Map.of(), "--nope"));
        assertTrue(err.toString().contains("--nope"), err.toString());
    }

    @Test
    @Timeout(20)
    void validConfigurationStartsTheBrokerOnAFreePort(@TempDir Path dir) {
        assertEquals(0, run(Map.of(), "--port", "0", "--http-port", "0", "--ws-port", "off", "--bind", "127.0.0.1",
                "--data-dir", dir.resolve("data").toString()), err.toString());
        assertTrue(started.mqttPort() > 0);
        assertTrue(started.readyLine().contains("mqtt=127.0.0.1:" + started.mqttPort()), started.readyLine());
    }

    @Test
    @Timeout(20)
    void portTakenExitsWithOneAndSaysWhy(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertEquals(1, run(Map.of(), "--port", String.valueOf(port), "--http-port", "0", "--ws-port", "0", "--bind", "127.0.0.1",
                    "--data-dir", dir.resolve("data").toString()));
            assertEquals("gomq: cannot listen on 127.0.0.1:" + port + ": address already in use", err.toString().strip());
        }
    }

    @Test
    @Timeout(20)
    void unusableDataDirExitsWithOneAndSaysWhy(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertEquals(1, run(Map.of(), "--port", "0", "--http-port", "0", "--ws-port", "0", "--bind", "127.0.0.1",
                "--data-dir", file.toString()));
        assertTrue(err.toString().startsWith("gomq: cannot use data dir " + file), err.toString());
    }

    @Test
    void nettyJfrEventsAreOffUnlessTheJvmWasToldOtherwise() {
        assertDefaultedUnlessGiven(Main.NETTY_JFR, "false", "true");
    }

    @Test
    void nettyLeakDetectionIsOffUnlessTheJvmWasToldOtherwise() {
        assertDefaultedUnlessGiven(Main.NETTY_LEAK_DETECTION, "disabled", "paranoid");
    }

    private static void assertDefaultedUnlessGiven(String property, String ours, String users) {
        String before = System.getProperty(property);
        try {
            System.clearProperty(property);
            Main.defaultSystemProperties();
            assertEquals(ours, System.getProperty(property));
            System.setProperty(property, users); // -D on the command line
            Main.defaultSystemProperties();
            assertEquals(users, System.getProperty(property));
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }
}
