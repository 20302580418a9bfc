package io.gomq.launcher.http;

import io.gomq.core.auth.TopicGate;
import io.gomq.core.engine.BrokerClosedException;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.session.Session;
import io.gomq.core.session.SessionLimitException;
import io.gomq.core.session.SessionOutput;
import io.gomq.launcher.transport.ClientDescription;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One viewer's live tail: a QoS 0 session of the engine subscribed to the viewer's filter, whose
 * deliveries become server-sent events ({@code event: message}, data {@link TailEvent}).
 *
 * <p>Bounded memory: the channel's write buffer is the viewer's buffer ({@link #WATER_MARK});
 * while it is above its high mark, messages are dropped, counted, and the viewer is told how
 * many with an {@code event: dropped} once it catches up. The session itself is drained at once,
 * so a slow browser never paces the broker's publishers. Bodies are cut at
 * {@value TailEvent#MAX_BODY_CHARS} characters.
 *
 * <p>Thread rules: the channel's event loop owns the session (drain, publish) as for an MQTT
 * connection; connecting, subscribing and disconnecting take the engine's locks, so they run on
 * the API's workers ({@link #open}, {@link #close}, synchronized with each other only).
 */
final class TailStream implements ApiResponse.ResponseStream, SessionOutput, ClientDescription {
    static final String EVENT_STREAM_TYPE = "text/event-stream; charset=utf-8";
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 128 * 1024);
    static final long HEARTBEAT_SECONDS = 15;
    private static final int DRAIN_BUDGET = 64;
    private static final Logger LOG = LoggerFactory.getLogger(TailStream.class);

    private final BrokerEngine engine;
    private final String clientId;
    private final String filter;
    private final TopicGate gate;
    private final Executor workers;
    private final TailViewers viewers;
    private final Runnable drainTask = this::drain;
    private volatile Session session;
    private volatile long connectedAtMillis;
    private volatile String remoteAddress;
    private Channel channel;
    private EventLoop loop;
    private ScheduledFuture<?> heartbeat;
    /** Event loop: messages dropped for this viewer, and how many of them it was told about. */
    private long dropped;
    private long reported;
    /** Guarded by this (workers only). */
    private boolean closed;

    /** @param gate the viewer's read rules, checked at every delivery; null: none */
    TailStream(BrokerEngine engine, String clientId, String filter, TopicGate gate, Executor workers, TailViewers viewers) {
        this.engine = engine;
        this.clientId = clientId;
        this.filter = filter;
        this.gate = gate;
        this.workers = workers;
        this.viewers = viewers;
    }

    String clientId() { return clientId; }

    @Override public String clientAddress() { return remoteAddress; }
    @Override public String clientUser() { return null; }
    @Override public long clientSinceMillis() { return connectedAtMillis; }
    @Override public String clientProtocol() { return "sse"; }

    // ---- ResponseStream ----

    @Override
    public void start(Channel ch) {
        channel = ch;
        loop = ch.eventLoop();
        remoteAddress = String.valueOf(ch.remoteAddress());
        connectedAtMillis = System.currentTimeMillis();
        ch.config().setWriteBufferWaterMark(WATER_MARK);
        // retry: how long the browser's EventSource waits before it reconnects
        write("retry: 2000\n: tail of " + filter.replace('\n', ' ') + "\n\n");
        ch.flush();
        heartbeat = loop.scheduleAtFixedRate(this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        ch.closeFuture().addListener(f -> {
            heartbeat.cancel(false);
            onWorker(this::close);
        });
        onWorker(this::open);
    }

    @Override
    public void abandon() {
        onWorker(this::close);
    }

    private void onWorker(Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException closing) {
            LOG.debug("tail {}: workers closing; the server closes every tail itself", clientId);
        }
    }

    /** Worker: the engine session and its subscription. */
    synchronized void open() {
        if (closed) {
            return;
        }
        try {
            Session s = engine.connect(clientId, true, 0, null, 0, this).session();
            s.topicGate(gate); // before the first delivery, as for an MQTT client
            session = s;
            wakeup(); // a wakeup before session was set found nothing to drain: ask again
            int granted = engine.subscribe(session, List.of(filter), List.of(Qos.AT_MOST_ONCE))[0];
            if (granted == BrokerEngine.SUBSCRIBE_FAILURE) {
                LOG.info("tail {}: subscription to {} refused", clientId, filter);
                channel.close();
            }
        } catch (BrokerClosedException | SessionLimitException e) {
            LOG.info("tail {} of {} not opened: {}", clientId, filter, e.getMessage());
            channel.close();
        }
    }

    /** Worker (or the closing server): ends the session; idempotent. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        viewers.closed(this);
        Session s = session;
        if (s != null) {
            engine.disconnect(s, this, true);
        }
        if (channel != null) {
            channel.close();
        }
    }

    // ---- SessionOutput: the event loop owns the session ----

    @Override
    public void publish(Message message, int packetId, boolean dup) {
        if (!channel.isWritable()) {
            dropped++;
            viewers.dropped();
            return;
        }
        write("event: message\ndata: " + new String(Json.write(TailEvent.of(message)), StandardCharsets.UTF_8) + "\n\n");
    }

    @Override
    public void pubRel(int packetId) {
        // QoS 0 only: never called
    }

    @Override
    public void wakeup() {
        onLoop(drainTask); // refused: the loops are shutting down, nothing left to deliver to
    }

    @Override
    public CompletableFuture<Void> takenOver() {
        // an MQTT client took this tail's client id: the viewer's EventSource reconnects under a new one
        CompletableFuture<Void> letGo = new CompletableFuture<>();
        if (!onLoop(() -> {
            channel.close();
            letGo.complete(null);
        })) {
            letGo.complete(null);
        }
        return letGo;
    }

    /** Runs {@code task} on the channel's loop; false when the loop has stopped. Any thread. */
    private boolean onLoop(Runnable task) {
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void drain() {
        Session s = session;
        if (s == null || s.output() != this || !channel.isActive()) {
            return;
        }
        boolean again = s.drain(DRAIN_BUDGET);
        reportDrops();
        channel.flush();
        if (again) {
            onLoop(drainTask);
        }
    }

    private void heartbeat() {
        if (channel.isWritable()) {
            reportDrops();
            write(": ping\n\n"); // keeps proxies and the idle timeout from closing a quiet tail
            channel.flush();
        }
    }

    private void reportDrops() {
        if (dropped != reported && channel.isWritable()) {
            write("event: dropped\ndata: " + dropped + "\n\n");
            reported = dropped;
        }
    }

    private void write(String text) {
        channel.write(new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)), channel.voidPromise());
    }
}
