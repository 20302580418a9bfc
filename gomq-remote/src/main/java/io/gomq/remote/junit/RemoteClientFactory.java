package io.gomq.remote.junit;

import io.gomq.client.GoMqClient;
import io.gomq.junit.GoMqClientFactory;
import io.gomq.junit.GoMqTestBroker;
import io.gomq.remote.RemoteClient;
import io.gomq.remote.RemoteClientConfig;

/**
 * Gives a {@code @GoMqTest} a remote client: {@code @Remote GoMqClient client} connects over MQTT to
 * the test broker's TCP listener, with replay over its HTTP API. Found by gomq-junit through
 * {@code META-INF/services/io.gomq.junit.GoMqClientFactory}; used only when gomq-junit is present.
 */
public final class RemoteClientFactory implements GoMqClientFactory {

    @Override
    public boolean supports(Class<?> type) {
        return type == GoMqClient.class;
    }

    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public Object open(Class<?> type, GoMqTestBroker broker, String clientId) {
        return RemoteClient.connect(RemoteClientConfig.builder().servers(broker.mqttUri().toString()).http(broker.httpUri()).build());
    }

    @Override
    public void close(Object client) {
        ((GoMqClient) client).close();
    }
}
