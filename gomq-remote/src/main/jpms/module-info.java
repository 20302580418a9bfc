/**
 * The GoMQ-J API over the network: {@link io.gomq.remote.RemoteClient}. Its producers, consumers
 * and replays are the API of {@code io.gomq.client}, which this module passes on to its readers.
 * The implementation ({@code io.gomq.remote.internal}) and the MQTT client it is built on are read
 * by this module only. {@code io.gomq.remote.junit} gives {@code @GoMqTest} classes a remote
 * client when gomq-junit is present; JUnit finds it on the class path (META-INF/services), as
 * tests run: it is not exported, and the module does not need gomq-junit at run time.
 */
module io.gomq.remote {
    requires transitive io.gomq.client;
    requires com.hivemq.client.mqtt;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
    requires org.slf4j;
    requires static io.gomq.junit;

    exports io.gomq.remote;
}
