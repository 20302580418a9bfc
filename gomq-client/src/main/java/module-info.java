/**
 * The public API of GoMQ-J: {@link io.gomq.client.GoMqClient} makes producers, consumers and
 * replays, whether the broker runs in this JVM ({@code io.gomq.embedded}) or is reached over the
 * network ({@code io.gomq.remote}). The module has no dependencies and exports nothing else.
 */
module io.gomq.client {
    exports io.gomq.client;
}
