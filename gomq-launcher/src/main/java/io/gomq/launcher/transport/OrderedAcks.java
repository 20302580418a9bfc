package io.gomq.launcher.transport;

import io.gomq.core.codec.MqttPacket;
import io.gomq.core.codec.PacketType;
import io.netty.channel.EventLoop;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One connection's acknowledgements that wait for the log's writer to store their message (and,
 * in a cluster, for their {@link io.gomq.core.engine.AckGate}: replication), written oldest first.
 *
 * <p>Design note: MQTT 4.6 wants PUBACKs in the order of their PUBLISHes, so an ack whose gate is
 * done still waits for the ones before it; {@link #release} writes the done prefix. A failed gate
 * means that packet is never acknowledged: the queue is dropped and the connection told to close.
 *
 * <p>Thread rules: event loop only; a gate completing on another thread only schedules a release
 * on the loop.
 */
final class OrderedAcks {
    /** What the connection does when a gate fails (it closes); event loop. */
    interface Refusal {
        void ackRefused(PacketType type, int packetId, Throwable why);
    }

    /** An ack waiting for its gate: a fixed-size ack (type, id), or a whole packet such as a SUBACK, made when written. */
    private record PendingAck(PacketType type, int packetId, Supplier<? extends MqttPacket> packet, CompletableFuture<Void> gate) {
    }

    private final ArrayDeque<PendingAck> pending = new ArrayDeque<>(1); // grows with use: small while idle
    /** PUBACKs in {@link #pending}: QoS 1 PUBLISHes of the client that are not acknowledged yet. */
    private int pubAcksWaiting;
    /** A release task is queued on the loop: gates completing meanwhile need no task of their own. */
    private final AtomicBoolean releaseScheduled = new AtomicBoolean();
    private final Runnable releaseTask = () -> {
        releaseScheduled.set(false);
        release(true);
    };
    private final BiConsumer<Void, Throwable> onGateDone = (v, e) -> scheduleRelease();
    private final EventLoop loop;
    private final PacketWriter writer;
    private final BooleanSupplier connected;
    private final Refusal refusal;

    /** {@code connected}: acks go out only while it is true (a closing connection writes none). */
    OrderedAcks(EventLoop loop, PacketWriter writer, BooleanSupplier connected, Refusal refusal) {
        this.loop = loop;
        this.writer = writer;
        this.connected = connected;
        this.refusal = refusal;
    }

    /** Writes the ack once {@code gate} completes and every earlier ack is written; a failed gate closes. */
    void ackWhen(CompletableFuture<Void> gate, PacketType type, int packetId) {
        ackWhen(gate, type, packetId, null);
    }

    /** Like {@link #ackWhen(CompletableFuture, PacketType, int)} for an ack that is a whole packet (SUBACK). */
    void ackWhen(CompletableFuture<Void> gate, MqttPacket packet) {
        ackWhen(gate, packet.type(), 0, () -> packet);
    }

    /**
     * Like {@link #ackWhen(CompletableFuture, MqttPacket)} for a packet that can only be made once
     * the gate is done (a PUBACK that tells the stored message's log offset).
     */
    void ackWhen(CompletableFuture<Void> gate, PacketType type, Supplier<? extends MqttPacket> packet) {
        ackWhen(gate, type, 0, packet);
    }

    /** The connection closed: nothing waiting goes out any more. */
    void clear() {
        pending.clear();
        pubAcksWaiting = 0;
    }

    /** QoS 1 PUBLISHes received whose PUBACK waits for its gate (the client's Receive Maximum counts them). */
    int pubAcksWaiting() {
        return pubAcksWaiting;
    }

    private void ackWhen(CompletableFuture<Void> gate, PacketType type, int packetId, Supplier<? extends MqttPacket> packet) {
        if (pending.isEmpty() && gate.isDone() && !gate.isCompletedExceptionally()) {
            write(type, packetId, packet); // standalone: always this way
            return;
        }
        pending.add(new PendingAck(type, packetId, packet, gate));
        if (type == PacketType.PUBACK) {
            pubAcksWaiting++;
        }
        if (gate.isDone()) {
            release(false);
        } else {
            gate.whenComplete(onGateDone);
        }
    }

    /** Any thread: a gate completed; one queued release task writes whatever is done by then. */
    private void scheduleRelease() {
        if (!releaseScheduled.get() && releaseScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(releaseTask);
            } catch (RejectedExecutionException closing) {
                // the event loops are shutting down: no ack goes out any more
            }
        }
    }

    /** Event loop: writes the acks at the head whose gates are done, in order; a failed gate closes the connection. */
    private void release(boolean flush) {
        PendingAck a;
        boolean wrote = false;
        while (connected.getAsBoolean() && (a = pending.peek()) != null && a.gate().isDone()) {
            pending.poll();
            if (a.type() == PacketType.PUBACK) {
                pubAcksWaiting--;
            }
            if (a.gate().isCompletedExceptionally()) {
                Throwable why = a.gate().handle((v, e) -> e instanceof CompletionException && e.getCause() != null
                        ? e.getCause() : e).join(); // the store's own exception, whichever stage failed
                clear();
                refusal.ackRefused(a.type(), a.packetId(), why);
                return;
            }
            write(a.type(), a.packetId(), a.packet());
            wrote = true;
        }
        if (wrote && flush) {
            writer.flush();
        }
    }

    private void write(PacketType type, int packetId, Supplier<? extends MqttPacket> packet) {
        if (packet != null) {
            writer.write(packet.get());
        } else {
            writer.ack(type, packetId);
        }
    }
}
