package io.gomq.remote.contract;

import io.gomq.client.Consumer;
import io.gomq.client.ConsumerOptions;
import io.gomq.client.GoMqClient;
import io.gomq.client.Producer;
import io.gomq.launcher.StandaloneBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The contract against the in-process client (io.gomq.embedded) of the broker a standalone one
 * embeds: its topic rules are the ACL file's, as for the remote contract.
 */
class EmbeddedClientContractTest extends GoMqClientContract {
    @TempDir
    static Path dir;
    private static StandaloneBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = ContractBroker.start(dir);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Override
    protected GoMqClient newClient() {
        return broker.broker().client();
    }

    @Override
    protected Producer producerFor(String user) {
        return broker.broker().producer(user);
    }

    @Override
    protected Consumer consumerFor(String user) {
        return client.consumer(ConsumerOptions.defaults().principal(user));
    }

    @Override
    protected int inFlightWindow() {
        return ContractBroker.WINDOW;
    }

    @Override
    protected boolean tellsRedelivery() {
        return true;
    }

    @Override
    protected boolean tellsSubscriberCount() {
        return true;
    }
}
