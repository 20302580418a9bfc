package io.gomq.remote.contract;

import io.gomq.client.GoMqClient;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.remote.RemoteClient;
import io.gomq.remote.RemoteClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;

/** The contract against the remote client, over TCP to a real standalone broker on free ports. */
class RemoteClientContractTest extends GoMqClientContract {
    /** The consumer's Receive Maximum: smaller than the broker's max-inflight, so it is the window. */
    private static final int RECEIVE_MAXIMUM = 16;
    @TempDir
    static Path dataDir;
    private static StandaloneBroker broker;

    @BeforeAll
    static void start() {
        LauncherConfig c = new LauncherConfig().bind("127.0.0.1").port(0).httpPort(0).wsPort(0);
        c.broker().dataDir(dataDir);
        broker = StandaloneBroker.start(c);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Override
    protected GoMqClient newClient() {
        return RemoteClient.connect(RemoteClientConfig.builder().servers("tcp://127.0.0.1:" + broker.mqttPort())
                .http(URI.create("http://127.0.0.1:" + broker.httpPort() + "/")).receiveMaximum(RECEIVE_MAXIMUM).build());
    }

    @Override
    protected int inFlightWindow() {
        return RECEIVE_MAXIMUM;
    }
}
