package io.gomq.launcher.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** list and pub --key against an in-process stand-in for the broker's HTTP API. */
@Timeout(30)
class HttpCommandsTest {
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int pubStatus = 200;
    private volatile String pubReply = "{\"offset\":7}";
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/messages", ex -> {
            String q = ex.getRequestURI().getRawQuery();
            requests.add("GET " + q);
            String body = q.contains("from=0&") // two pages, then an empty one
                    ? "{\"topic\":\"A\",\"messages\":[{\"offset\":0,\"key\":\"k0\",\"body\":\"hello\",\"qos\":1,\"timestamp\":1},"
                      + "{\"offset\":1,\"key\":null,\"body\":\"world\",\"qos\":0,\"timestamp\":2}],\"next\":2}"
                    : q.contains("from=2&")
                    ? "{\"topic\":\"A\",\"messages\":[{\"offset\":2,\"key\":\"k2\",\"body\":\"again\",\"qos\":0,\"timestamp\":3}],\"next\":3}"
                    : "{\"topic\":\"A\",\"messages\":[],\"next\":3}";
            reply(ex, 200, body);
        });
        server.createContext("/pub", ex -> {
            requests.add("POST " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            reply(ex, pubStatus, pubReply);
        });
        server.start();
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--http";
        all[1] = "127.0.0.1:" + server.getAddress().getPort();
        System.arraycopy(args, 0, all, 2, args.length);
        return GomqCtl.run(all, new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void listPagesThroughStoredMessages() {
        assertEquals(0, run("--topic", "A", "list"));
        assertEquals("0\tk0\thello\n1\t\tworld\n2\tk2\tagain\n", out.toString().replace("\r\n", "\n"));
        assertEquals(List.of("GET topic=A&from=0&limit=500", "GET topic=A&from=2&limit=500", "GET topic=A&from=3&limit=500"),
                requests);
    }

    @Test
    void listStopsAtLimit() {
        assertEquals(0, run("--topic", "A", "list", "--limit", "1"));
        assertEquals("0\tk0\thello\n", out.toString().replace("\r\n", "\n"));
    }

    @Test
    void pubWithKeyPostsJson() {
        assertEquals(0, run("--topic", "A", "--qos", "1", "--retain", "1", "--key", "k", "pub", "hello", "world"));
        assertEquals(List.of("POST {\"topic\":\"A\",\"body\":\"hello world\",\"qos\":1,\"retain\":1,\"key\":\"k\"}"), requests);
    }

    @Test
    void pubErrorReplyIsOneLineWithItsExitCode() {
        pubStatus = 400;
        pubReply = "{\"error\":\"bad topic\"}";
        assertEquals(ExitCode.FAILED, run("--topic", "A", "--key", "k", "pub", "x"));
        assertTrue(err.toString().contains("HTTP 400: bad topic"), err.toString());
        pubStatus = 401;
        assertEquals(ExitCode.NOT_AUTHORIZED, run("--topic", "A", "--key", "k", "pub", "x"));
        pubStatus = 503;
        assertEquals(ExitCode.UNAVAILABLE, run("--topic", "A", "--key", "k", "pub", "x"));
    }
}
