package io.gomq.embedded.internal;

import io.gomq.client.MessageHandler;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.session.Session;
import io.gomq.core.session.SessionOutput;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The in-process stand-in for a network connection: a {@link SessionOutput} that hands
 * deliveries to a handler (on the dispatcher pool) or to a polling thread.
 *
 * <p>Handler mode is an actor: {@link #wakeup()} schedules one run on the dispatcher; runs of
 * one connection never overlap (state IDLE / SCHEDULED / SCHEDULED_AGAIN), so the session's
 * owner-thread rule holds although the pool has several threads. In poll mode the polling
 * thread is the owner and {@link #wakeup()} only unparks it. Acknowledgements from any thread
 * go through a lock-free queue that the owner reads.
 */
final class InProcessConnection implements SessionOutput {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessConnection.class);
    private static final int IDLE = 0;
    private static final int SCHEDULED = 1;
    private static final int SCHEDULED_AGAIN = 2;
    private static final int BATCH = 256;
    /** How long an otherwise idle dispatcher keeps polling an emptied queue (see Session.drain(int, int)): some microseconds. */
    private static final int LINGER_SPINS = 256;

    private final BrokerEngine engine;
    private final DispatcherPool dispatcher;
    private final boolean autoAck;
    private final MpscUnboundedXaddArrayQueue<InProcessDelivery> acks = new MpscUnboundedXaddArrayQueue<>(64);
    /** PUBRELs the session re-sent while attaching (a restored QoS 2 exchange), before this knew its session. */
    private final MpscUnboundedXaddArrayQueue<Integer> releases = new MpscUnboundedXaddArrayQueue<>(16);
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final ArrayDeque<InProcessDelivery> polled = new ArrayDeque<>();
    private final AtomicLong handlerErrors = new AtomicLong();
    private final Runnable handlerRun = this::runHandlerMode;
    private volatile MessageHandler handler;
    private volatile Thread pollingThread;
    private volatile boolean closed;
    /** Threads inside {@link #poll}. */
    private final AtomicInteger pollers = new AtomicInteger();
    /** Completed when a takeover may attach the session elsewhere; null until taken over. */
    private volatile CompletableFuture<Void> letGo;
    private Session session;

    InProcessConnection(BrokerEngine engine, DispatcherPool dispatcher, boolean autoAck) {
        this.engine = engine;
        this.dispatcher = dispatcher;
        this.autoAck = autoAck;
    }

    void session(Session session) { this.session = session; }
    Session session() { return session; }
    boolean isClosed() { return closed; }
    long handlerErrors() { return handlerErrors.get(); }

    /** Switches to handler mode. */
    void handler(MessageHandler h) {
        this.handler = h;
        wakeup();
    }

    boolean hasHandler() {
        return handler != null;
    }

    // ---- SessionOutput, owner thread ----

    @Override
    public void publish(Message message, int packetId, boolean dup) {
        InProcessDelivery d = new InProcessDelivery(message, packetId, dup, this);
        MessageHandler h = handler;
        if (h == null) {
            polled.add(d); // poll mode, or re-sent while attaching before a handler was set
            return;
        }
        handle(h, d);
    }

    private void handle(MessageHandler h, InProcessDelivery d) {
        Message message = d.coreMessage();
        int packetId = d.packetId();
        try {
            h.onMessage(d);
        } catch (Exception | AssertionError e) {
            handlerErrors.incrementAndGet();
            LOG.error("consumer {} handler failed on {}", session.clientId(), message, e);
        }
        if (autoAck && packetId != 0) {
            settle(d);
        }
    }

    @Override
    public void pubRel(int packetId) {
        // the in-process consumer already has it: complete it, on the owner thread (this may run
        // during attach, before the session is known here)
        releases.offer(packetId);
        wakeup();
    }

    @Override
    public void wakeup() {
        if (handler == null) {
            Thread t = pollingThread;
            if (t != null) {
                LockSupport.unpark(t);
            }
            return;
        }
        while (true) {
            int s = state.get();
            if (s == SCHEDULED_AGAIN) {
                return;
            }
            if (state.compareAndSet(s, s == IDLE ? SCHEDULED : SCHEDULED_AGAIN)) {
                if (s == IDLE) {
                    dispatcher.execute(handlerRun);
                }
                return;
            }
        }
    }

    /**
     * Closes this connection and lets go of the session once no owner-thread code of it runs:
     * in handler mode the next actor run (runs never overlap) completes the future; in poll mode
     * the last thread to leave {@link #poll} does, or at once when none is inside.
     */
    @Override
    public CompletableFuture<Void> takenOver() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        letGo = f;
        closed = true;
        if (handler != null) {
            wakeup();
        } else {
            Thread t = pollingThread;
            if (t != null) {
                LockSupport.unpark(t);
            }
            if (pollers.get() == 0) {
                f.complete(null);
            }
        }
        return f;
    }

    private void letGo() {
        CompletableFuture<Void> f = letGo;
        if (f != null) {
            f.complete(null);
        }
    }

    // ---- acknowledgements ----

    void acknowledge(InProcessDelivery d) {
        acks.offer(d);
        wakeup();
    }

    private void processAcks() {
        Integer released;
        while ((released = releases.poll()) != null) {
            session.onPubComp(released);
        }
        InProcessDelivery d;
        while ((d = acks.poll()) != null) {
            settle(d);
        }
    }

    private void settle(InProcessDelivery d) {
        if (d.coreQos() == Qos.AT_LEAST_ONCE) {
            session.onPubAck(d.packetId());
        } else if (d.coreQos() == Qos.EXACTLY_ONCE && session.onPubRec(d.packetId())) {
            session.onPubComp(d.packetId());
        }
    }

    // ---- handler mode ----

    private void runHandlerMode() {
        if (closed) {
            letGo(); // a run that starts after the takeover: the one before it has finished
        } else {
            processAcks();
            MessageHandler h = handler;
            for (InProcessDelivery resent; (resent = polled.poll()) != null; ) {
                handle(h, resent); // re-sent while attaching, before the handler was set
            }
            if (session.drain(BATCH, lingerSpins())) {
                state.set(SCHEDULED_AGAIN);
            }
        }
        if (state.compareAndSet(SCHEDULED, IDLE)) {
            return;
        }
        state.set(SCHEDULED);
        dispatcher.execute(handlerRun); // yield the thread to other consumers between batches
    }

    /** Linger on this consumer's queue only while no other consumer waits for the thread. */
    private int lingerSpins() {
        return dispatcher.hasWaitingTasks() ? 0 : LINGER_SPINS;
    }

    // ---- poll mode: the calling thread is the owner ----

    InProcessDelivery poll(long timeoutNanos) {
        pollers.incrementAndGet(); // before the first look at closed: a takeover waits for us to leave
        try {
            return pollOwned(timeoutNanos);
        } finally {
            if (pollers.decrementAndGet() == 0 && closed) {
                letGo();
            }
        }
    }

    private InProcessDelivery pollOwned(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!closed) {
            processAcks();
            if (polled.isEmpty()) {
                session.drain(BATCH);
            }
            InProcessDelivery d = polled.poll();
            if (d != null) {
                if (autoAck && d.packetId() != 0) {
                    settle(d); // poll mode acknowledges on hand-over: the message reached the consumer
                    if (d.coreQos() == Qos.EXACTLY_ONCE) {
                        engine.sessionWrites().durable(session.clientId()).join(); // completed on disk before the caller has it: never again after a crash
                    }
                }
                return d;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            pollingThread = Thread.currentThread();
            if (session.queue().isEmpty() && acks.isEmpty() && !closed) {
                LockSupport.parkNanos(this, Math.min(left, 50_000_000L));
            }
            pollingThread = null;
        }
        return null;
    }

    void close() {
        closed = true;
        Thread t = pollingThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        engine.disconnect(session, this, true);
    }
}
