package io.gomq.launcher;

import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** StandaloneBroker.startAsync and closeAsync: listeners up when the start completes, down when the close does. */
@Timeout(60)
class StandaloneBrokerAsyncTest {

    @Test
    void twoBrokersStartAtOnceAndTheirPortsCloseWithCloseAsync() throws Exception {
        CompletableFuture<StandaloneBroker> a = StandaloneBroker.startAsync(TestBrokers.memoryConfig());
        CompletableFuture<StandaloneBroker> b = StandaloneBroker.startAsync(TestBrokers.memoryConfig());
        StandaloneBroker first = a.get(30, TimeUnit.SECONDS);
        StandaloneBroker second = b.get(30, TimeUnit.SECONDS);
        int port = first.mqttPort();
        assertNotEquals(port, second.mqttPort());
        try (Socket s = new Socket("127.0.0.1", port)) {
            assertTrue(s.isConnected(), "listening once the start completed");
        }

        CompletableFuture.allOf(first.closeAsync(), second.closeAsync()).get(30, TimeUnit.SECONDS);

        assertTrue(first.engine().isClosed() && second.engine().isClosed());
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close(), "the listener is gone");
    }

    @Test
    void aStartThatCannotListenFailsTheFutureWithTheReason() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            CompletableFuture<StandaloneBroker> f = StandaloneBroker.startAsync(TestBrokers.memoryConfig().port(taken.getLocalPort()));

            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
            StartupException cause = assertInstanceOf(StartupException.class, e.getCause());
            assertTrue(cause.getMessage().contains("address already in use"), cause.getMessage());
        }
    }
}
