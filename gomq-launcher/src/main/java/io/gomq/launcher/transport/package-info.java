/**
 * The MQTT listeners on Netty (TCP, TLS, WebSocket): bytes in through the core codec,
 * engine calls, deliveries out.
 *
 * <ul>
 *   <li>{@link io.gomq.launcher.transport.MqttServer}: event loops (epoll when available, else
 *       NIO), the plain, TLS, WebSocket and secure WebSocket listeners, the auth executor; closes
 *       everything with timeouts.</li>
 *   <li>{@code WebSocketPipeline}: MQTT over WebSocket in front of the same decoder and
 *       connection: {@code WebSocketUpgradeGate} (only an upgrade of the MQTT path with an MQTT
 *       subprotocol passes; 404/400 otherwise), Netty's handshake and frame codec, and
 *       {@code WebSocketFrames} (binary frame payloads in, one binary frame per packet out).</li>
 *   <li>{@code MqttFrameDecoder}: the core {@code MqttDecoder} behind a Netty cumulator; a
 *       malformed packet is counted by reason and closes that connection only.</li>
 *   <li>{@code MqttConnection}: one per client, the Netty handler; keep-alive at 1.5x, and the
 *       {@code SessionOutput} the engine delivers through. Its parts:
 *       {@code ConnectHandshake} (auth off the loop, CONNACK codes 1/2/3/4/5),
 *       {@code SessionPackets} (packets to engine calls, QoS 1/2 handshakes) and
 *       {@code OrderedAcks} (acks that wait for durability, written in order).</li>
 *   <li>{@code PacketWriter}: encodes into pooled buffers and writes without flushing.</li>
 *   <li>{@code ConnectionPacer}: turns a publisher's reads off while a queue it feeds is
 *       congested, never longer than the stuck-subscriber time; meanwhile the decoder holds the
 *       rest of the last read and the pacer the copies a full queue refused.</li>
 * </ul>
 *
 * <p>Thread rules: a connection's handler, its session (while attached) and its pacer's pause
 * run on the channel's event loop. Other threads only call {@code wakeup()} (schedules a drain
 * on that loop), {@code takenOver()} (closes the channel from its loop, and tells the new
 * connection when the session is free) and the pacer's resume (schedules reads back on). A
 * CONNECT that takes over a resumed session waits for that, reads off and packets held, before
 * its CONNACK; the connect timeout bounds the wait. Flushes are coalesced: one per batch of reads (in channelReadComplete) and
 * one per drain batch; a channel above its write high-water mark takes no deliveries until it
 * is writable again, so its queue fills and the engine's pacing and QoS 0 dropping take over.
 */
package io.gomq.launcher.transport;
