package io.gomq.launcher.testing;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.transport.TransportOptions;

import java.util.function.Consumer;

/** In-process brokers for tests: memory only, 127.0.0.1, free ports, never the well-known default ports. */
public final class TestBrokers {
    private TestBrokers() {
    }

    public static LauncherConfig memoryConfig() {
        LauncherConfig c = new LauncherConfig().bind("127.0.0.1").port(0).httpPort(0).wsPort(0);
        c.broker().persistent(false);
        return c;
    }

    public static StandaloneBroker start() {
        return start(c -> { });
    }

    public static StandaloneBroker start(Consumer<LauncherConfig> tweak) {
        return start(tweak, TransportOptions.defaults().ioThreads(2));
    }

    public static StandaloneBroker start(Consumer<LauncherConfig> tweak, TransportOptions options) {
        LauncherConfig c = memoryConfig();
        tweak.accept(c);
        return StandaloneBroker.start(c, options);
    }

    /**
     * Waits until {@code n} connections are open at {@code b}: each has its connect timer armed
     * (on the broker's clock), so a test may advance a manual clock past it.
     */
    public static void awaitConnectionsOpen(StandaloneBroker b, long n) {
        Await.await(n + " connection(s) open", () -> b.transportMetrics().connectionsOpen.sum() == n);
    }

    public static String tcpUri(StandaloneBroker b) {
        return "tcp://127.0.0.1:" + b.mqttPort();
    }
}
