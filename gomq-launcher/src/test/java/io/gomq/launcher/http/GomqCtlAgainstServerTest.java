package io.gomq.launcher.http;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;
import io.gomq.core.retained.MemoryRetainedStore;
import io.gomq.launcher.NodeStatus;
import io.gomq.launcher.cli.GomqCtl;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.metrics.BrokerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gomqctl's HTTP commands (list, pub --key, version) against the real server: the two sides agree on the JSON. */
@Timeout(60)
class GomqCtlAgainstServerTest {
    @TempDir
    Path dir;

    private MessageLog log;
    private BrokerEngine engine;
    private HttpApiServer server;
    private int port;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() {
        BrokerConfig config = BrokerConfig.defaults().dataDir(dir).durability(Durability.WRITE)
                .compactionIntervalMs(3_600_000).retentionMs(0);
        log = MessageLog.open(config);
        engine = new BrokerEngine(config, new MemoryRetainedStore(), log);
        server = new HttpApiServer(engine, new LauncherConfig(), new BrokerMetrics(engine),
                () -> NodeStatus.standalone("n", 1883, 0, -1));
        port = server.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
        log.close();
    }

    private int ctl(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--http";
        all[1] = "127.0.0.1:" + port;
        System.arraycopy(args, 0, all, 2, args.length);
        return GomqCtl.run(all, new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void listReplaysTheTopicAcrossPages() {
        for (int i = 0; i < 3; i++) {
            log.append(Message.builder("A").key("k" + i).payload("m" + i).build());
            log.append(Message.builder("B").payload("other").build());
        }
        assertEquals(0, ctl("--topic", "A", "list"), err.toString());
        assertEquals("0\tk0\tm0\n2\tk1\tm1\n4\tk2\tm2\n", out.toString().replace("\r\n", "\n"));
    }

    @Test
    void pubWithKeyIsAccepted() {
        assertEquals(0, ctl("--topic", "A", "--qos", "1", "--retain", "1", "--key", "k", "pub", "hello"), err.toString());
        assertEquals("hello", engine.retained().get("A").payloadAsString());
        assertEquals("k", engine.retained().get("A").key());
    }

    @Test
    void pubOfAnInvalidTopicFailsWithTheServersReason() {
        assertTrue(ctl("--topic", "a/#", "--key", "k", "pub", "x") != 0);
        assertTrue(err.toString().contains("HTTP 400: invalid topic"), err.toString());
    }
}
