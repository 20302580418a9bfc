package io.gomq.remote;

import io.gomq.client.GoMqClient;
import io.gomq.client.NotConnectedException;
import io.gomq.client.Qos;
import io.gomq.client.Replay;
import io.gomq.client.ReplayFrom;
import io.gomq.client.StoredMessage;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replay given several HTTP addresses reads from the first that answers; none answering is NotConnectedException. */
@Timeout(60)
class ReplayAddressesTest {
    @TempDir
    Path dir;

    @Test
    void aReplayGoesPastAnAddressThatDoesNotAnswer() throws Exception {
        URI dead = URI.create("http://127.0.0.1:" + closedPort() + "/");
        try (StandaloneBroker broker = TestBrokers.start(c -> c.broker().persistent(true).dataDir(dir.resolve("data")));
             GoMqClient client = RemoteClient.connect(RemoteClientConfig.builder().servers("tcp://127.0.0.1:" + broker.mqttPort())
                     .http(dead, URI.create("http://127.0.0.1:" + broker.httpPort() + "/")).build())) {
            client.producer().publish("r/1", null, "kept".getBytes(), Qos.AT_LEAST_ONCE, true).join();

            try (Replay replay = client.replay("r/#", ReplayFrom.earliest())) {
                StoredMessage m = replay.poll(Duration.ofSeconds(10));
                assertNotNull(m, "read from the second address");
                assertEquals("kept", m.message().payloadAsString());
                client.producer().publish("r/2", null, "later".getBytes(), Qos.AT_LEAST_ONCE, true).join();
                assertEquals("later", replay.poll(Duration.ofSeconds(10)).message().payloadAsString(), "and tails there");
            }
        }
    }

    @Test
    void aReplayWithNoAddressAnsweringFailsWithNotConnected() throws Exception {
        try (GoMqClient client = RemoteClient.connect(RemoteClientConfig.builder().servers("tcp://127.0.0.1:" + closedPort())
                .http(URI.create("http://127.0.0.1:" + closedPort() + "/"), URI.create("http://127.0.0.1:" + closedPort() + "/")).build())) {
            NotConnectedException e = assertThrows(NotConnectedException.class, () -> client.replay("#", ReplayFrom.earliest()));
            assertTrue(e.getMessage().contains("no HTTP address answered"), e.getMessage());
        }
    }

    /** A port nothing listens on (bound, then released). */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
