/**
 * MQTT 3.1.1 and MQTT 5.0 codec on plain {@link java.nio.ByteBuffer}s: no Netty types, so the
 * same code serves the Netty transport, the embedded tests, the benchmark clients and the fuzzer.
 *
 * <ul>
 *   <li>{@link io.gomq.core.codec.MqttPacket}: one immutable record per packet type, AUTH
 *       included (MQTT 5 only). Records carry no protocol level: every record has its 3.1.1
 *       constructor and a canonical one with the MQTT 5 fields (reason codes,
 *       {@link io.gomq.core.codec.PacketProperties}, and on PUBLISH and the will the message's
 *       {@link io.gomq.core.message.MessageProperties}).</li>
 *   <li>{@link io.gomq.core.codec.MqttDecoder}: one per connection; strict, incremental,
 *       size-limited before the body; a malformed packet is a
 *       {@link io.gomq.core.codec.DecodeResult.Failure} with a
 *       {@link io.gomq.core.codec.DecodeError} (count it, close the connection), never an
 *       exception.</li>
 *   <li>{@link io.gomq.core.codec.MqttEncoder}: static; {@code encode(out, packet, level)} writes
 *       a record at level 4 or 5 (the overloads without a level mean 4); deliveries are
 *       written straight from a {@code Message} with
 *       {@link io.gomq.core.codec.MqttEncoder#encodePublish(java.nio.ByteBuffer,
 *       io.gomq.core.message.Message, int, boolean, io.gomq.core.message.Qos, boolean, int, int,
 *       boolean, long)}.</li>
 *   <li>{@link io.gomq.core.codec.PropertyId} and {@link io.gomq.core.codec.ReasonCode}: the
 *       MQTT 5 tables, with where each property and code is allowed.</li>
 * </ul>
 *
 * <p>Protocol levels. A server-side decoder starts at level 4 (3.1.1). A CONNECT declares its
 * own level and is decoded by it: "MQTT" level 4 as 3.1.1, "MQTT" level 5 in full as MQTT 5,
 * and that CONNECT switches the decoder to level 5 for everything after it; anything else is
 * decoded only up to the level for the session to refuse (CONNACK 1,
 * {@link io.gomq.core.codec.Connect#isSupportedProtocol()}). The transport reads
 * {@link io.gomq.core.codec.MqttDecoder#protocolLevel()} after the CONNECT and encodes every
 * packet of the connection at that level; at level 4 the encoder leaves MQTT 5 fields out, so the
 * session may build the same records for both. Clients pick their level up front with
 * {@link io.gomq.core.codec.MqttDecoder#forClient(int, int)}.
 *
 * <p>A transport's read loop:
 * <pre>{@code
 * while (true) {
 *     DecodeResult r = decoder.decode(buf);
 *     if (r.isNeedMore()) break;                    // keep the unread bytes, read more
 *     if (r instanceof DecodeResult.Failure f) {    // buf is drained; decoder stays BAD
 *         malformed[f.error().ordinal()]++;
 *         if (decoder.protocolLevel() == 5) {       // MQTT 5: say why before closing
 *             send(new Disconnect(f.error().disconnectReason(), PacketProperties.NONE), 5);
 *         }
 *         close(f.detail());
 *         break;
 *     }
 *     session.onPacket(r.packet());
 * }
 * }</pre>
 *
 * <p>Not decode failures, left to the session: a CONNECT with {@code isSupportedProtocol() ==
 * false} (CONNACK 1), client-id and credential checks (CONNACK 2, 4, 5 or their MQTT 5 reason
 * codes), invalid topic filters in SUBSCRIBE (SUBACK 0x80 / 0x8F) and UNSUBSCRIBE, No Local on a
 * shared subscription, a first packet other than CONNECT or a second CONNECT (close), and
 * payload limits finer than the decoder's packet limit. Left to the transport: resolving topic
 * aliases and checking them against its Topic Alias Maximum (DISCONNECT 0x94), the client's
 * Maximum Packet Size and Receive Maximum, and a UTF-8 payload that its Payload Format
 * Indicator promises (0x99).
 */
package io.gomq.core.codec;
