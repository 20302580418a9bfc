package io.gomq.remote.contract;

import io.gomq.client.Consumer;
import io.gomq.client.GoMqClient;
import io.gomq.client.Producer;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.remote.RemoteClient;
import io.gomq.remote.RemoteClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The contract against the remote client, over TCP to a real standalone broker on free ports. */
class RemoteClientContractTest extends GoMqClientContract {
    @TempDir
    static Path dir;
    private static StandaloneBroker broker;
    private final List<GoMqClient> guests = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        broker = ContractBroker.start(dir);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @AfterEach
    void closeGuests() {
        guests.forEach(GoMqClient::close);
    }

    @Override
    protected GoMqClient newClient() {
        return RemoteClient.connect(config().build());
    }

    private static RemoteClientConfig.Builder config() {
        return RemoteClientConfig.builder().servers("tcp://127.0.0.1:" + broker.mqttPort())
                .http(URI.create("http://127.0.0.1:" + broker.httpPort() + "/")).receiveMaximum(ContractBroker.WINDOW);
    }

    /** A client that logs in as {@code user} (the broker has no users file: any name is taken). */
    private GoMqClient clientOf(String user) {
        GoMqClient c = RemoteClient.connect(config().credentials(user, null).build());
        guests.add(c);
        return c;
    }

    @Override
    protected Producer producerFor(String user) {
        return clientOf(user).producer();
    }

    @Override
    protected Consumer consumerFor(String user) {
        return clientOf(user).consumer();
    }

    @Override
    protected int inFlightWindow() {
        return ContractBroker.WINDOW;
    }

    @Override
    protected boolean tellsRedelivery() {
        return false; // the HiveMQ client hides the DUP flag: see Delivery.redelivered()
    }

    @Override
    protected boolean tellsSubscriberCount() {
        return false; // MQTT has no field for it: see PublishReceipt
    }
}
