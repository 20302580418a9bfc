package io.gomq.launcher.cluster;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.StartupException;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.testing.RawMqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.gomq.launcher.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster node started before its etcd: it retries its first etcd reads (the users, the ACL)
 * with a logged attempt count, comes up as leader once etcd is there, and gives up with the
 * endpoints named only after etcd-startup-timeout-ms.
 */
@Timeout(120)
class EtcdLateStartTest {
    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(EtcdStartupReads.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    private LauncherConfig node(EtcdServer etcd, long startupTimeoutMs) {
        LauncherConfig c = new LauncherConfig().bind("127.0.0.1").port(0).httpPort(0).wsPort(0)
                .etcdEndpoints(List.of(etcd.uri())).clusterName("late").nodeId("n1").leaseTtlSeconds(2)
                .etcdStartupTimeoutMs(startupTimeoutMs);
        c.broker().dataDir(dir.resolve("data"));
        return c;
    }

    private List<String> warnings() {
        synchronized (logs.list) {
            return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }
    }

    @Test
    void shouldComeUpAsLeaderWhenEtcdStartsAfterTheNode() throws Exception {
        try (EtcdServer etcd = EtcdServer.notStarted()) {
            CompletableFuture<StandaloneBroker> starting = StandaloneBroker.startAsync(node(etcd, 60_000));
            try {
                await("two failed attempts to read the users, logged", Duration.ofSeconds(30),
                        () -> warnings().stream().anyMatch(w -> w.contains("attempt 2") && w.contains(etcd.endpoint())));
                assertFalse(starting.isDone(), "the node waits for etcd");
                etcd.launch();
                try (StandaloneBroker broker = starting.get(60, TimeUnit.SECONDS)) {
                    await("the node leads", Duration.ofSeconds(30), () -> broker.clusterNode().isLeader());
                    await("the leader accepts clients", Duration.ofSeconds(10), () -> connackAccepted(broker.mqttPort()));
                }
            } finally {
                starting.thenAccept(StandaloneBroker::close);
            }
        }
    }

    /** CONNECT answered with CONNACK 0 (a node that does not lead yet answers 3). */
    private static boolean connackAccepted(int port) {
        try (RawMqttClient raw = new RawMqttClient(port)) {
            return Arrays.equals(RawMqttClient.bytes(0x20, 0x02, 0x00, 0x00), raw.connect("late-client", true, 0));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void shouldFailNamingTheEndpointsWhenEtcdStaysAwayPastTheBound() throws Exception {
        try (EtcdServer etcd = EtcdServer.notStarted()) {
            long t0 = System.nanoTime();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> StandaloneBroker.startAsync(node(etcd, 1_500)).get(60, TimeUnit.SECONDS));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            StartupException s = assertInstanceOf(StartupException.class, e.getCause());
            assertTrue(s.getMessage().contains(etcd.endpoint()) && s.getMessage().contains("etcd-startup-timeout-ms")
                    && s.getMessage().contains("users"), s.getMessage());
            assertTrue(ms >= 1_500, "gave up after " + ms + " ms, before the bound");
        }
    }
}
