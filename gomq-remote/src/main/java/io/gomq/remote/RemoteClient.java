package io.gomq.remote;

import io.gomq.client.GoMqClient;
import io.gomq.remote.internal.NetworkClient;

/**
 * The GoMQ-J API over the network: a {@link GoMqClient} whose producers and consumers speak MQTT 5
 * to a broker (or the leader of a cluster) and whose replays page through its HTTP API.
 *
 * <pre>{@code
 * try (GoMqClient client = RemoteClient.connect(RemoteClientConfig.builder()
 *         .servers("tcp://127.0.0.1:9000").http(URI.create("http://127.0.0.1:8000/")).build())) {
 *     client.producer().publish("A", "hello").join();
 * }
 * }</pre>
 *
 * Each consumer is one MQTT session (its own connection); the producers of a client share one
 * connection. Connections find the leader among the servers given (a member refuses a CONNECT:
 * the next server is tried) and reconnect on their own after a failover, resuming a persistent
 * session. Closing the client closes what it made; a persistent session stays on the broker.
 */
public final class RemoteClient {
    private RemoteClient() {
    }

    /**
     * A client of the broker {@code config} names; connections open as producers and consumers are made.
     *
     * @param config servers, credentials, TLS, limits
     * @return the client
     */
    public static GoMqClient connect(RemoteClientConfig config) {
        return new NetworkClient(config);
    }
}
