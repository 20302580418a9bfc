package io.gomq.junit;

/**
 * Makes one kind of client a test can declare as a parameter, connected to the test broker.
 * Built in: Paho's {@code MqttClient}/{@code IMqttClient} (when Paho is on the classpath) and the
 * in-process {@code GoMqClient}/{@code Producer}/{@code Consumer}; {@code gomq-remote} adds the remote
 * {@code GoMqClient} for parameters annotated {@link Remote}. More (another client library) plug in
 * through {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/io.gomq.junit.GoMqClientFactory}.
 */
public interface GoMqClientFactory {

    /**
     * Whether this factory makes clients for parameters of {@code type}.
     *
     * @param type the declared parameter type
     * @return true to be asked for one
     */
    boolean supports(Class<?> type);

    /**
     * Whether this factory's clients reach the broker over the network as a remote application's
     * would: then it serves parameters annotated {@link Remote} (and only those).
     *
     * @return false (the default) for clients any parameter of a supported type may get
     */
    default boolean remote() {
        return false;
    }

    /**
     * Opens a client, connected and ready to use.
     *
     * @param type     the declared parameter type ({@link #supports} accepted it)
     * @param broker   the broker to connect to
     * @param clientId a client id unique in this JVM
     * @return the client, of {@code type}
     * @throws Exception when it cannot connect; the test fails with it
     */
    Object open(Class<?> type, GoMqTestBroker broker, String clientId) throws Exception;

    /**
     * Disconnects and releases a client {@link #open} returned, after the test (or class) that asked for it.
     *
     * @param client the client
     * @throws Exception when it cannot be closed; the test fails with it
     */
    void close(Object client) throws Exception;
}
