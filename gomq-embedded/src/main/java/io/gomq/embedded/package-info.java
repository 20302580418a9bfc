/**
 * GoMQ inside the host JVM: {@link io.gomq.embedded.GoMqBroker} starts a broker (synchronously
 * or with {@code startAsync}) from an immutable {@link io.gomq.embedded.EmbeddedConfig}; its
 * producers, consumers and replays are the API of {@code io.gomq.client}, side by side with
 * network MQTT clients.
 */
package io.gomq.embedded;
