package io.gomq.remote.contract;

import io.gomq.client.GoMqClient;
import io.gomq.embedded.EmbeddedConfig;
import io.gomq.embedded.GoMqBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The contract against the in-process client of an embedded broker. */
class EmbeddedClientContractTest extends GoMqClientContract {
    private static final int MAX_INFLIGHT = 16;
    @TempDir
    static Path dataDir;
    private static GoMqBroker broker;

    @BeforeAll
    static void start() {
        broker = GoMqBroker.start(EmbeddedConfig.builder().dataDir(dataDir).maxInflight(MAX_INFLIGHT).build());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Override
    protected GoMqClient newClient() {
        return broker.client();
    }

    @Override
    protected int inFlightWindow() {
        return MAX_INFLIGHT;
    }
}
