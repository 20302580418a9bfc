package io.gomq.junit;

import io.gomq.embedded.Consumer;
import io.gomq.embedded.Producer;

/** The broker's in-process {@link Producer} and {@link Consumer} (a clean session). */
final class EmbeddedClientFactory implements GoMqClientFactory {

    @Override
    public boolean supports(Class<?> type) {
        return type == Producer.class || type == Consumer.class;
    }

    @Override
    public Object open(Class<?> type, GoMqTestBroker broker, String clientId) {
        return type == Producer.class ? broker.embedded().producer() : broker.embedded().consumer();
    }

    @Override
    public void close(Object client) {
        if (client instanceof Producer p) {
            p.close();
        } else {
            ((Consumer) client).close();
        }
    }
}
