/**
 * GoMQ inside the host JVM: {@link io.gomq.embedded.GoMqBroker} starts a broker (synchronously
 * or with {@code startAsync}); its {@link io.gomq.embedded.Producer}s and
 * {@link io.gomq.embedded.Consumer}s publish and subscribe in-process, side by side with network
 * MQTT clients, and {@link io.gomq.embedded.Replay} reads the durable log.
 */
package io.gomq.embedded;
