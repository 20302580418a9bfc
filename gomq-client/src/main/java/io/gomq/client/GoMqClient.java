package io.gomq.client;

/**
 * A client of one GoMQ broker (or cluster): makes producers, consumers and replays. The broker
 * may run in this JVM ({@code GoMqBroker.client()} in {@code io.gomq.embedded}) or be reached
 * over the network ({@code RemoteClient.connect(..)} in {@code io.gomq.remote}); code written
 * against this interface runs unchanged against either.
 *
 * <p>Closing the client closes the producers, consumers and replays it made (a persistent
 * session stays on the broker); it does not stop the broker.
 */
public interface GoMqClient extends AutoCloseable {

    /** {@return a new producer; thread-safe} */
    Producer producer();

    /** {@return a consumer with a unique client id and a clean session} */
    default Consumer consumer() {
        return consumer(ConsumerOptions.defaults());
    }

    /**
     * A consumer with a persistent session under {@code clientId}.
     *
     * @param clientId the session's id: the same id resumes the session
     * @return a new consumer
     */
    default Consumer consumer(String clientId) {
        return consumer(ConsumerOptions.defaults().clientId(clientId).cleanSession(false));
    }

    /**
     * A consumer as {@code options} describe it.
     *
     * @param options client id, session kind, acknowledgement mode
     * @return a new consumer
     */
    Consumer consumer(ConsumerOptions options);

    /**
     * Replays the log from {@code from} for the topics matching {@code filter}, then follows new
     * appends. Needs a broker with a durable log.
     *
     * @param filter a topic filter
     * @param from   where in the log to start
     * @return the replay; close it when done
     */
    Replay replay(String filter, ReplayFrom from);

    /** Closes what this client made; the broker keeps running. */
    @Override
    void close();
}
