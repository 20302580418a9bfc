package io.gomq.launcher;

import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.config.LauncherDefaults;
import io.gomq.launcher.testing.RawMqttClient;
import io.gomq.launcher.testing.SelfSignedPem;
import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.gomq.launcher.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class StandaloneBrokerTest {
    @Test
    void shouldCloseWhatItOpenedWhenALaterListenerCannotBind(@TempDir Path dir) throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir);
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            LauncherConfig c = TestBrokers.memoryConfig().tlsPort(taken.getLocalPort()).tlsCert(pem.certFile()).tlsKey(pem.keyFile());
            StartupException e = assertThrows(StartupException.class, () -> StandaloneBroker.start(c));
            assertEquals("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use", e.getMessage());
        }
        await("event loop threads stopped", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("gomq-io")));
    }

    @Test
    void clusterModeWithoutTheDurableLogIsRefusedWithAClearReason() {
        LauncherConfig c = TestBrokers.memoryConfig().etcdEndpoints(java.util.List.of(java.net.URI.create("http://127.0.0.1:1")));
        StartupException e = assertThrows(StartupException.class, () -> StandaloneBroker.start(c));
        assertEquals("cluster mode (--etcd) needs the durable log: remove persistent=false", e.getMessage());
    }

    @Test
    void shouldReportRealPortsAndStatusWhenStartedOnPortZero() {
        try (StandaloneBroker b = TestBrokers.start()) {
            assertTrue(b.mqttPort() > 0);
            assertEquals(-1, b.tlsPort());
            NodeStatus s = b.status();
            assertEquals("standalone", s.role());
            assertEquals(b.mqttPort(), s.mqttPort());
            assertTrue(b.readyLine().startsWith("GoMQ ready in "), b.readyLine());
            assertTrue(b.startupMillis() < 2_000, "ready in " + b.startupMillis() + " ms");
        }
    }

    @Test
    void servesEveryConnectionOnTheEventLoopsTheSettingGives() throws Exception {
        try (StandaloneBroker b = StandaloneBroker.start(TestBrokers.memoryConfig().wsPort(LauncherDefaults.LISTENER_OFF).ioThreads(1))) {
            List<RawMqttClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    RawMqttClient c = new RawMqttClient(b.mqttPort());
                    clients.add(c);
                    assertEquals(0x20, c.connect("loops-" + i, true, 60)[0] & 0xF0, "CONNACK");
                }
                assertEquals(1, Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("gomq-io")).count(), "event loop threads for 4 connections");
            } finally {
                for (RawMqttClient c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void shouldBeIdempotentWhenClosedTwice() {
        StandaloneBroker b = TestBrokers.start();
        b.close();
        b.close();
        assertTrue(b.engine().isClosed());
    }
}
