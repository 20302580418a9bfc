package io.gomq.launcher.limits;

import io.gomq.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-address limits against an injected clock: connections, CONNECT rate, login back-off, forgetting. */
class AddressLimitsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final InetAddress guesser = address(2);
    private final InetAddress other = address(3);

    private static InetAddress address(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private AddressLimits limits(ClientLimits settings) {
        return new AddressLimits(settings.conclude(), now::get);
    }

    private void advanceMs(long ms) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    @Test
    void failedLoginsBackOffExponentiallyUpToTheMaximumForThatAddressOnly() {
        AddressLimits l = limits(new ClientLimits().authFailureDelayMs(100).authFailureMaxDelayMs(1_000));
        long[] expectedMs = {100, 200, 400, 800, 1_000, 1_000};
        for (long ms : expectedMs) {
            assertEquals(0, l.startCheck(guesser));
            l.checked(guesser, false);
            assertEquals(TimeUnit.MILLISECONDS.toNanos(ms), l.startCheck(guesser), "wait after a failure");
            assertEquals(0, l.startCheck(other), "another address checks at once");
            l.checked(other, true);
            advanceMs(ms);
        }
        assertEquals(0, l.startCheck(guesser), "the wait is over");
        l.checked(guesser, true);
        assertEquals(0, l.startCheck(guesser), "a success clears the failures");
        l.checked(guesser, true);
    }

    @Test
    void oneCheckAtATimePerAddress() {
        AddressLimits l = limits(new ClientLimits().authFailureDelayMs(100));
        assertEquals(0, l.startCheck(guesser));
        assertTrue(l.startCheck(guesser) > 0, "a parallel CONNECT from the same address waits");
        assertEquals(0, l.startCheck(other));
        l.abandonCheck(guesser);
        assertEquals(0, l.startCheck(guesser), "an abandoned check frees the address without a failure");
    }

    @Test
    void noBackOffWhenSwitchedOff() {
        AddressLimits l = limits(new ClientLimits().authFailureDelayMs(0));
        for (int i = 0; i < 5; i++) {
            assertEquals(0, l.startCheck(guesser));
            l.checked(guesser, false);
        }
        assertEquals(0, l.size());
    }

    @Test
    void connectionsPerAddressAreCountedWhileOpen() {
        AddressLimits l = limits(new ClientLimits().maxConnectionsPerAddress(2));
        assertFalse(l.opened(guesser));
        assertFalse(l.opened(guesser));
        assertTrue(l.opened(guesser), "the third is one too many");
        assertFalse(l.opened(other));
        assertEquals(3, l.open(guesser));
        l.closed(guesser);
        assertTrue(l.opened(guesser), "still three open");
        l.closed(guesser);
        l.closed(guesser);
        assertFalse(l.opened(guesser));
        l.closed(guesser);
        l.closed(guesser);
        l.closed(other);
        assertEquals(0, l.size(), "nothing kept for addresses without connections");
    }

    @Test
    void connectionsFromOneAddressOnManyThreadsAreCountedExactly() throws Exception {
        AddressLimits l = limits(new ClientLimits().maxConnectionsPerAddress(1_000_000));
        int threads = 4;
        int rounds = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < rounds; i++) { // the count drops to 0 and its counter is replaced, over and over
                        assertFalse(l.opened(guesser));
                        l.closed(guesser);
                    }
                    assertFalse(l.opened(guesser)); // one stays open per thread
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads, l.open(guesser));
        for (int t = 0; t < threads; t++) {
            l.closed(guesser);
        }
        assertEquals(0, l.open(guesser));
        assertEquals(0, l.size(), "nothing kept once the last closed");
    }

    @Test
    void connectionsAreNotCountedWithoutALimit() {
        AddressLimits l = limits(new ClientLimits());
        assertFalse(l.opened(guesser));
        assertEquals(0, l.open(guesser));
        assertEquals(0, l.size(), "nothing to remember for an address while no limit needs it");
        l.closed(guesser);
        assertEquals(0, l.size());
    }

    @Test
    void connectRateIsATokenBucketPerAddress() {
        AddressLimits l = limits(new ClientLimits().connectRatePerAddress(5));
        for (int i = 0; i < 5; i++) {
            assertNull(l.admitConnect(guesser), "a burst of one second's worth");
        }
        assertEquals(LimitRefusal.CONNECT_RATE, l.admitConnect(guesser));
        assertNull(l.admitConnect(other));
        advanceMs(200);
        assertNull(l.admitConnect(guesser), "one token back after 1/5 s");
        assertEquals(LimitRefusal.CONNECT_RATE, l.admitConnect(guesser));
        l.opened(guesser);
        l.closed(guesser);
        assertEquals(LimitRefusal.CONNECT_RATE, l.admitConnect(guesser), "an empty bucket is remembered after the close");
        advanceMs(1_000);
        l.sweep();
        assertEquals(0, l.size(), "a full bucket is forgotten");
    }

    @Test
    void failuresAreForgottenLongAfterTheLastOne() {
        AddressLimits l = limits(new ClientLimits().authFailureDelayMs(100).authFailureMaxDelayMs(1_000));
        assertEquals(0, l.startCheck(guesser));
        l.checked(guesser, false);
        l.sweep();
        assertEquals(1, l.size(), "kept while it backs off");
        advanceMs(1_000L * AddressLimits.FORGET_AFTER_MAX_DELAYS + 200);
        l.sweep();
        assertEquals(0, l.size());
    }

    @Test
    void badSettingsNameTheirKey() {
        assertEquals("auth-failure-max-delay-ms", assertThrows(ConfigException.class,
                () -> new ClientLimits().authFailureDelayMs(500).authFailureMaxDelayMs(100).conclude()).key());
        assertEquals("publish-rate", assertThrows(ConfigException.class,
                () -> new ClientLimits().publishRate(-1).conclude()).key());
    }
}
