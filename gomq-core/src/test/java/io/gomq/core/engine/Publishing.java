package io.gomq.core.engine;

import io.gomq.core.delivery.PublishResult;
import io.gomq.core.message.Message;

import java.util.concurrent.CompletionException;

/** Tests: publishes as a client that waits for its acknowledgement (the log's writer has stored the message). */
public final class Publishing {
    private Publishing() {
    }

    /** Publishes {@code m} unpaced and waits until it is stored; rethrows the log's refusal (e.g. DiskFullException). */
    public static PublishResult stored(BrokerEngine engine, Message m) {
        PublishResult r = engine.publishWithResult(m, null);
        if (r.pending() != null) {
            try {
                r.pending().join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException refusal) {
                    throw refusal;
                }
                throw e;
            }
        }
        return r;
    }
}
