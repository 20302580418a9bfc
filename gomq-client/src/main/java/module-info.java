/**
 * The public API of GoMQ-J: {@link io.gomq.client.GoMqClient} makes producers, consumers and
 * replays, whether the broker runs in this JVM ({@code io.gomq.embedded}) or is reached over the
 * network ({@code io.gomq.remote}). The module has no dependencies; {@code io.gomq.client.spi}
 * holds what those two implementations share and is exported to them only.
 */
@SuppressWarnings("module") // the implementations' modules are built after this one
module io.gomq.client {
    exports io.gomq.client;
    exports io.gomq.client.spi to io.gomq.embedded, io.gomq.remote;
}
