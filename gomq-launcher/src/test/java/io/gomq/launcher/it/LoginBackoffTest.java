package io.gomq.launcher.it;

import io.gomq.core.codec.Connect;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.auth.PasswordHasher;
import io.gomq.launcher.limits.ClientLimits;
import io.gomq.launcher.limits.LimitRefusal;
import io.gomq.launcher.testing.RawMqttClient;
import io.gomq.launcher.testing.TestBrokers;
import io.gomq.launcher.transport.TransportOptions;
import io.gomq.core.time.BrokerClock;
import io.gomq.testing.ManualClock;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.gomq.launcher.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A password guesser is slowed by the login back-off of its address, a legitimate client from
 * another address is not: 100 wrong tries in parallel from 127.0.0.2, one right one from 127.0.0.1.
 */
@Timeout(60)
class LoginBackoffTest {
    static final int GUESSES = 100;
    static final String GUESSER_ADDRESS = "127.0.0.2";

    @TempDir
    Path dir;

    /** A broker with user alice (password s3cret); {@code iterations}: the PBKDF2 cost of her hash. */
    static StandaloneBroker brokerWithAlice(Path dir, int iterations) throws IOException {
        return brokerWithAlice(dir, iterations, ClientLimits.AUTH_FAILURE_DELAY_MS, BrokerClock.system());
    }

    static StandaloneBroker brokerWithAlice(Path dir, int iterations, long backOffMs, BrokerClock clock)
            throws IOException {
        String hash = new PasswordHasher(iterations).hash("s3cret".toCharArray());
        Path users = Files.writeString(dir.resolve("users"), "alice:" + hash + "\n");
        // the back-off wait ends in a refusal after half the connect timeout: 2 s here
        return TestBrokers.start(c -> {
            c.usersFile(users).limits().authFailureDelayMs(backOffMs);
            c.broker().clock(clock);
        }, TransportOptions.defaults().ioThreads(2).connectTimeoutMs(4_000));
    }

    /** One wrong try from the guesser's address: the CONNACK return code it got, or -1 for a close without one. */
    static int guess(int port, int i) {
        try (RawMqttClient raw = new RawMqttClient(port, GUESSER_ADDRESS)) {
            raw.send(new Connect("MQTT", 4, true, 0, "guess-" + i, null, "alice",
                    ("wrong-" + i).getBytes(StandardCharsets.UTF_8)));
            return raw.readPacket()[3];
        } catch (IOException e) {
            return -1;
        }
    }

    static List<Future<Integer>> startGuessing(ExecutorService pool, int port) {
        List<Future<Integer>> tries = new ArrayList<>();
        for (int i = 0; i < GUESSES; i++) {
            int n = i;
            tries.add(pool.submit(() -> guess(port, n)));
        }
        return tries;
    }

    static MqttConnectOptions alice() {
        MqttConnectOptions o = PahoClients.options(true);
        o.setUserName("alice");
        o.setPassword("s3cret".toCharArray());
        return o;
    }

    @Test
    void aGuessersHundredWrongTriesAreSlowedWhileTheRightClientConnects() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(GUESSES);
        try (StandaloneBroker broker = brokerWithAlice(dir, 1_000)) {
            List<Future<Integer>> tries = startGuessing(pool, broker.mqttPort());
            await("the guesser backs off", () -> broker.transportMetrics().authBackoffWaits.sum() > 0);

            long t0 = System.nanoTime();
            try (PahoClients legit = PahoClients.connect(TestBrokers.tcpUri(broker), "alice-legit", alice())) {
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertTrue(legit.client.isConnected());
                System.out.println("legitimate CONNECT during the guessing: " + ms + " ms");
                assertTrue(broker.transportMetrics().authBackoffWaits.sum() > 0);
            }

            int wrongPassword = 0;
            int backedOff = 0;
            for (Future<Integer> f : tries) {
                int rc = f.get(30, TimeUnit.SECONDS);
                if (rc == 4) {
                    wrongPassword++;
                } else if (rc == 3) {
                    backedOff++;
                } else {
                    throw new AssertionError("a guess got " + rc + " (4: bad password, 3: backed off)");
                }
            }
            System.out.println("guesses: " + wrongPassword + " checked (CONNACK 4), " + backedOff + " refused unchecked (CONNACK 3)");
            assertEquals(GUESSES, wrongPassword + backedOff);
            assertTrue(backedOff > 0, "most guesses never reach a password check");
            assertEquals(wrongPassword, broker.transportMetrics().authFailures.sum(), "one check per wrong password");
            assertEquals(backedOff, broker.transportMetrics().limitRefusal(LimitRefusal.AUTH_BACKOFF).sum());
            String scrape = broker.metrics().scrape();
            assertTrue(scrape.contains("gomq_limit_refusals_total{kind=\"auth_backoff\"} " + backedOff + ".0"), scrape);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theGuessersNextTryWaitsForItsBackOffThenItsPasswordIsChecked() throws Exception {
        ManualClock clock = new ManualClock();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        // back-off 1.5 s, then 3 s; a wait ends in a refusal 2 s after the accept
        try (StandaloneBroker broker = brokerWithAlice(dir, 1_000, 1_500, clock)) {
            assertEquals(4, guess(broker.mqttPort(), 0));
            Future<Integer> second = pool.submit(() -> guess(broker.mqttPort(), 1));
            await("the second try waits for the back-off", () -> broker.transportMetrics().authBackoffWaits.sum() == 1);
            clock.advance(Duration.ofMillis(1_500));
            assertEquals(4, second.get(10, TimeUnit.SECONDS), "once the clock passed the back-off, it is checked");
            assertEquals(2, broker.transportMetrics().authFailures.sum());

            Future<Integer> third = pool.submit(() -> guess(broker.mqttPort(), 2));
            await("the third try waits", () -> broker.transportMetrics().authBackoffWaits.sum() == 2);
            clock.advance(Duration.ofMillis(2_000));
            assertEquals(3, third.get(10, TimeUnit.SECONDS), "its 3 s back-off outlasts the 2 s allowed: refused unchecked");
            assertEquals(2, broker.transportMetrics().authFailures.sum());
            assertEquals(1, broker.transportMetrics().limitRefusal(LimitRefusal.AUTH_BACKOFF).sum());
        } finally {
            pool.shutdownNow();
        }
    }
}
