package io.gomq.launcher.cli;

import io.gomq.launcher.auth.PasswordHasher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class GomqCtlTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int runWithStdin(String stdin, String... args) {
        return GomqCtl.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private int run(String... args) {
        return runWithStdin("", args);
    }

    /** A port nothing listens on (closed right after it was picked). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void versionPrintsWithoutABroker() {
        assertEquals(0, run("version"));
        assertTrue(out.toString().startsWith("gomqctl "), out.toString());
    }

    @Test
    void helpDocumentsCommandsKeyAndExitCodes() {
        assertEquals(0, run("--help"));
        String help = out.toString();
        for (String s : List.of("pub", "sub", "list", "version", "hash-password", "--connect", "--key", "HTTP /pub",
                "Exit codes", "CONNACK 3")) {
            assertTrue(help.contains(s), s + " missing in\n" + help);
        }
        assertEquals(0, run("help", "sub"));
        assertTrue(out.toString().contains("--from"));
    }

    @Test
    void missingCommandTopicOrBadOptionsAreUsageErrors() {
        assertEquals(ExitCode.USAGE, run());
        assertEquals(ExitCode.USAGE, run("pub", "hello"));
        assertTrue(err.toString().contains("--topic is required"), err.toString());
        assertEquals(ExitCode.USAGE, run("--topic", "A", "--qos", "3", "pub", "x"));
        assertEquals(ExitCode.USAGE, run("--topic", "A", "--retain", "2", "pub", "x"));
        assertEquals(ExitCode.USAGE, run("--topic", "A", "--connect", "h:0", "pub", "x"));
        assertEquals(ExitCode.USAGE, run("--topic", "A", "sub", "--from", "soon"));
        assertEquals(ExitCode.USAGE, run("--topic", "A", "pub"));
        assertEquals(ExitCode.USAGE, run("frobnicate"));
    }

    @Test
    void pubToUnreachableBrokerExitsWithUnreachable() throws IOException {
        String addr = "127.0.0.1:" + freePort();
        assertEquals(ExitCode.UNREACHABLE, run("--topic", "A", "--connect", addr, "pub", "hello", "world"));
        String msg = err.toString().trim();
        assertTrue(msg.startsWith("gomqctl: cannot reach a broker: " + addr), msg);
        assertFalse(msg.contains("\n"), "one line: " + msg);
    }

    @Test
    void globalOptionsMayFollowTheCommand() throws IOException {
        String addr = "127.0.0.1:" + freePort();
        assertEquals(ExitCode.UNREACHABLE, run("pub", "--topic", "A", "--connect", addr, "hello"));
        assertTrue(err.toString().contains(addr), err.toString());
    }

    @Test
    void everyAddressOfTheListIsTried() throws IOException {
        String a = "127.0.0.1:" + freePort();
        String b = "127.0.0.1:" + freePort();
        assertEquals(ExitCode.UNREACHABLE, run("--topic", "A", "--connect", a + "," + b, "sub", "--count", "1"));
        assertTrue(err.toString().contains(a) && err.toString().contains(b), err.toString());
    }

    @Test
    void httpCommandsToUnreachableBrokerExitWithUnreachable() throws IOException {
        String http = "127.0.0.1:" + freePort();
        assertEquals(ExitCode.UNREACHABLE, run("--topic", "A", "--http", http, "list"));
        assertEquals(ExitCode.UNREACHABLE, run("--topic", "A", "--http", http, "--key", "k", "pub", "v"));
        assertEquals(ExitCode.UNREACHABLE, run("--http", http, "version", "--server"));
    }

    @Test
    void httpAddressDefaultsToEachConnectHostOnPort8000() {
        GomqCtl ctl = new GomqCtl();
        picocli.CommandLine cli = new picocli.CommandLine(ctl);
        cli.parseArgs("--connect", "n1:9001,n2:9002", "version");
        assertEquals(List.of(new BrokerAddress("n1", 8000), new BrokerAddress("n2", 8000)), ctl.httpAddresses());
        cli.parseArgs("--connect", "n1:9001", "--http", "web:8080", "version");
        assertEquals(List.of(new BrokerAddress("web", 8080)), ctl.httpAddresses());
    }

    @Test
    void hashPasswordPrintsAUsersFileLine() {
        assertEquals(0, runWithStdin("s3cret\n", "hash-password", "--iterations", "1000", "alice"));
        String line = out.toString().trim();
        assertTrue(line.startsWith("alice:pbkdf2-sha256$1000$"), line);
        String hash = line.substring("alice:".length());
        assertTrue(new PasswordHasher().verify("s3cret".getBytes(StandardCharsets.UTF_8), hash));
    }

    @Test
    void hashPasswordTakesTheGlobalPassword() {
        assertEquals(0, run("--password", "pw", "hash-password", "--iterations", "1000", "bob"));
        String hash = out.toString().trim().substring("bob:".length());
        assertTrue(new PasswordHasher().verify("pw".getBytes(StandardCharsets.UTF_8), hash));
    }

    @Test
    void hashPasswordRefusesBadNamesAndEmptyPasswords() {
        assertEquals(ExitCode.USAGE, runWithStdin("pw\n", "hash-password", "a:b"));
        assertEquals(ExitCode.USAGE, runWithStdin("", "hash-password", "--iterations", "1000", "alice"));
    }
}
