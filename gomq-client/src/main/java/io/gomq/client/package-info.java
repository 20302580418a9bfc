/**
 * The GoMQ-J API: {@link io.gomq.client.GoMqClient} (producers, consumers, replays),
 * {@link io.gomq.client.Producer}, {@link io.gomq.client.Consumer}, {@link io.gomq.client.Replay}
 * and their immutable values ({@link io.gomq.client.Message}, {@link io.gomq.client.Qos},
 * {@link io.gomq.client.ConsumerOptions}, {@link io.gomq.client.ReplayFrom}). Code written against
 * these types runs unchanged against an in-process broker and a remote one.
 */
package io.gomq.client;
