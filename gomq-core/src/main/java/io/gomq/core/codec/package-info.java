/**
 * MQTT 3.1.1 codec on plain {@link java.nio.ByteBuffer}s: no Netty types, so the same code
 * serves the Netty transport, the embedded tests, the benchmark clients and the fuzzer.
 *
 * <ul>
 *   <li>{@link io.gomq.core.codec.MqttPacket}: one immutable record per packet type.</li>
 *   <li>{@link io.gomq.core.codec.MqttDecoder}: one per connection; strict, incremental,
 *       size-limited before the body; a malformed packet is a
 *       {@link io.gomq.core.codec.DecodeResult.Failure} with a
 *       {@link io.gomq.core.codec.DecodeError} (count it, close the connection), never an
 *       exception.</li>
 *   <li>{@link io.gomq.core.codec.MqttEncoder}: static; deliveries are written straight from a
 *       {@code Message} with
 *       {@link io.gomq.core.codec.MqttEncoder#encodePublish(java.nio.ByteBuffer,
 *       io.gomq.core.message.Message, int, boolean, io.gomq.core.message.Qos, boolean)}.</li>
 * </ul>
 *
 * <p>A transport's read loop:
 * <pre>{@code
 * while (true) {
 *     DecodeResult r = decoder.decode(buf);
 *     if (r.isNeedMore()) break;                    // keep the unread bytes, read more
 *     if (r instanceof DecodeResult.Failure f) {    // buf is drained; decoder stays BAD
 *         malformed[f.error().ordinal()]++;
 *         close(f.detail());
 *         break;
 *     }
 *     session.onPacket(r.packet());
 * }
 * }</pre>
 *
 * <p>Not decode failures, left to the session: a CONNECT with {@code isMqtt311() == false}
 * (CONNACK 1), client-id and credential checks (CONNACK 2, 4, 5), invalid topic filters in
 * SUBSCRIBE (SUBACK 0x80) and UNSUBSCRIBE, a first packet other than CONNECT or a second
 * CONNECT (close), and payload limits finer than the decoder's packet limit.
 */
package io.gomq.core.codec;
