package io.gomq.bench.connections;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.config.LauncherConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connections tool against the real standalone broker (in this JVM: its pid is ours), briefly. */
class ConnectionsToolTest {

    private static StandaloneBroker broker() {
        LauncherConfig config = new LauncherConfig().bind("127.0.0.1").port(0).httpPort(0).wsPort(0);
        config.broker().persistent(false);
        return StandaloneBroker.start(config);
    }

    private static String[] args(StandaloneBroker broker, String... more) {
        String[] base = {"--url", "tcp://127.0.0.1:" + broker.mqttPort(), "--http", "http://127.0.0.1:" + broker.httpPort()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    @Timeout(60)
    void churnConnectsAndDisconnectsEveryConnectionWithAFewOpenAtATime() throws Exception {
        try (StandaloneBroker broker = broker()) {
            ConnectionsTool tool = new ConnectionsTool();
            int exit = new CommandLine(tool).execute(args(broker, "--churn", "--count", "300", "--in-flight", "20",
                    "--warm-up", "50"));
            assertEquals(0, exit);
            assertEquals(300, tool.result.get("connections"));
            assertEquals(0, tool.result.get("failed"));
            assertTrue((double) tool.result.get("connectsPerSecond") > 0);
            // each one disconnected: the broker ends with none open
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (broker.connectionCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, broker.connectionCount());
            assertEquals(350, broker.transportMetrics().connectionsAccepted.sum(), "the warm-up's and the measured ones");
        }
    }

    @Test
    @Timeout(60)
    void holdKeepsEveryConnectionOpenUntilTheEnd() throws Exception {
        try (StandaloneBroker broker = broker()) {
            ConnectionsTool tool = new ConnectionsTool();
            int exit = new CommandLine(tool).execute(args(broker, "--count", "100", "--in-flight", "10",
                    "--settle", "PT0S", "--hold", "PT0.1S"));
            assertEquals(0, exit);
            assertEquals(100, tool.result.get("connections"));
            assertEquals(100, tool.result.get("stillOpen"));
        }
    }

    /**
     * A "broker" that answers one CONNECT every 300 ms never lets the run go quiet; the phase is
     * cut at --give-up-after and reported as it stands (without the cut this would take minutes).
     */
    @Test
    @Timeout(60)
    void aBrokerThatAnswersSlowlyIsCutAndReportedAsItStands() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread slow = new Thread(() -> answerSlowly(server), "slow-broker");
            slow.setDaemon(true);
            slow.start();
            ConnectionsTool tool = new ConnectionsTool();
            int exit = new CommandLine(tool).execute("--url", "tcp://127.0.0.1:" + server.getLocalPort(),
                    "--pid", String.valueOf(ProcessHandle.current().pid()), "--churn", "--count", "1000",
                    "--in-flight", "2", "--give-up-after", "PT3S");
            assertEquals(1, exit, "not every connect was answered");
            int connected = (int) tool.result.get("connections");
            assertTrue(connected > 0 && connected < 1000, "connected " + connected);
            assertEquals(1000, tool.result.get("asked"));
        }
    }

    /** Reads each CONNECT, waits, answers CONNACK 0 and closes, one connection at a time. */
    private static void answerSlowly(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                if (in.read(new byte[256]) < 0) {
                    continue; // closed before its CONNECT: nothing to answer
                }
                Thread.sleep(300);
                s.getOutputStream().write(new byte[] {0x20, 0x02, 0x00, 0x00});
                s.getOutputStream().flush();
                in.read(new byte[16]); // the DISCONNECT
            } catch (IOException | InterruptedException e) {
                return; // the test is over
            }
        }
    }
}
