/**
 * GoMQ-J inside the host JVM: {@link io.gomq.embedded.GoMqBroker}. Its producers, consumers and
 * replays are the API of {@code io.gomq.client}, which this module passes on to its readers.
 * The engine ({@code io.gomq.core}) and the in-process implementation
 * ({@code io.gomq.embedded.internal}) are read by this module only: code that requires it cannot
 * compile against them.
 */
module io.gomq.embedded {
    requires transitive io.gomq.client;
    requires io.gomq.core;
    requires org.slf4j;
    requires org.jctools.core;

    exports io.gomq.embedded;
}
