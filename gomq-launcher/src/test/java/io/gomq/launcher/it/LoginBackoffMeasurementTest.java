package io.gomq.launcher.it;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.auth.PasswordHasher;
import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.gomq.launcher.testing.Await.await;

/**
 * The figure behind the login back-off (-Phostile; prints, asserts nothing about time): a
 * legitimate CONNECT's median time with and without 100 parallel wrong tries from another
 * address, at the real PBKDF2 cost ({@link PasswordHasher#DEFAULT_ITERATIONS}).
 */
@Tag("hostile")
class LoginBackoffMeasurementTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void legitimateConnectTimeWithAndWithoutAGuesser() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(LoginBackoffTest.GUESSES);
        try (StandaloneBroker broker = LoginBackoffTest.brokerWithAlice(dir, PasswordHasher.DEFAULT_ITERATIONS)) {
            medianConnectMs(broker, 5); // warm-up: Paho, the JIT, the hash
            double quiet = medianConnectMs(broker, 15);
            List<Future<Integer>> tries = LoginBackoffTest.startGuessing(pool, broker.mqttPort());
            await("the guesser backs off", () -> broker.transportMetrics().authBackoffWaits.sum() > 0);
            double underAttack = medianConnectMs(broker, 15);
            for (Future<Integer> f : tries) {
                f.get();
            }
            System.out.printf("legitimate CONNECT median: %.1f ms alone, %.1f ms during 100 parallel wrong tries "
                            + "(password checks run for the guesser: %d)%n", quiet, underAttack,
                    broker.transportMetrics().authFailures.sum());
        } finally {
            pool.shutdownNow();
        }
    }

    private static double medianConnectMs(StandaloneBroker broker, int n) throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            try (PahoClients c = PahoClients.connect(TestBrokers.tcpUri(broker), "alice-" + i, LoginBackoffTest.alice())) {
                ms.add((System.nanoTime() - t0) / 1e6);
            }
        }
        Collections.sort(ms);
        return ms.get(n / 2);
    }
}
