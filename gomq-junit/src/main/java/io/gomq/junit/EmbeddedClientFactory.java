package io.gomq.junit;

import io.gomq.client.Consumer;
import io.gomq.client.GoMqClient;
import io.gomq.client.Producer;

/** The broker's in-process {@link GoMqClient}, {@link Producer} and {@link Consumer} (a clean session). */
final class EmbeddedClientFactory implements GoMqClientFactory {

    @Override
    public boolean supports(Class<?> type) {
        return type == Producer.class || type == Consumer.class || type == GoMqClient.class;
    }

    @Override
    public Object open(Class<?> type, GoMqTestBroker broker, String clientId) {
        if (type == GoMqClient.class) {
            return broker.newInProcessClient();
        }
        return type == Producer.class ? broker.embedded().producer() : broker.embedded().consumer();
    }

    @Override
    public void close(Object client) throws Exception {
        ((AutoCloseable) client).close();
    }
}
