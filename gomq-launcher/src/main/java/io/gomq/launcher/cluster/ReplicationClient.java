package io.gomq.launcher.cluster;

import io.gomq.core.replication.FencedException;
import io.gomq.core.replication.ReplicaFollower;
import io.gomq.core.replication.SyncCodec;
import io.gomq.core.replication.SyncPacket;
import io.gomq.launcher.tls.PeerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The member's replication thread: connects to the leader's replication endpoint, asks from
 * its log's end (SYNCREQ), then appends the SYNCACKs the leader streams and reports each
 * stored end (SYNCOFFSET) until told to follow someone else or to stop.
 * Reconnects after 100 ms on any failure. A fenced stream (older epoch) is dropped at once.
 * With {@link PeerTls} it presents this member's certificate and checks the leader's.
 */
final class ReplicationClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationClient.class);

    private record Target(String host, int port, long epoch) {
    }

    private final ReplicaFollower follower;
    private final int readTimeoutMs;
    private final PeerTls tls;
    private final Thread thread;
    private final Object lock = new Object();
    private volatile Target target;
    private volatile Socket socket;
    private volatile boolean closed;
    private volatile boolean paused;
    private final java.util.concurrent.atomic.LongAdder fencedStreams = new java.util.concurrent.atomic.LongAdder();
    /** The last TLS failure logged: a refused certificate warns once, not at every retry. */
    private String lastTlsFailure;

    /** @param tls mutual TLS with the leader, or null for plain TCP */
    ReplicationClient(ReplicaFollower follower, int readTimeoutMs, String name, PeerTls tls) {
        this.follower = follower;
        this.readTimeoutMs = readTimeoutMs;
        this.tls = tls;
        this.thread = new Thread(this::run, "gomq-replication-client-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    ReplicaFollower follower() {
        return follower;
    }

    /** How many streams were refused as older than the epoch followed (a deposed leader's). */
    long fencedStreams() {
        return fencedStreams.sum();
    }

    /** Follows the leader whose replication endpoint is {@code hostPort}, refusing streams older than {@code epoch}. */
    void follow(String hostPort, long epoch) {
        int colon = hostPort.lastIndexOf(':');
        Target t = new Target(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)), epoch);
        follower.minEpoch(epoch);
        synchronized (lock) {
            target = t;
            lock.notifyAll();
        }
        dropConnection();
    }

    /** Stops replicating (the leader is gone, or this node leads now). */
    void unfollow() {
        target = null;
        dropConnection();
    }

    /** Tests: stop replicating without forgetting the leader. */
    void paused(boolean p) {
        paused = p;
        if (p) {
            dropConnection();
        }
    }

    boolean connected() {
        Socket s = socket;
        return s != null && s.isConnected() && !s.isClosed();
    }

    private void dropConnection() {
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void run() {
        while (!closed) {
            Target t = target;
            if (t == null || paused) {
                synchronized (lock) {
                    try {
                        lock.wait(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                continue;
            }
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress(t.host(), t.port()), 1_000);
                raw.setSoTimeout(readTimeoutMs);
                raw.setTcpNoDelay(true);
                socket = raw;
                Socket s = tls == null ? raw : tls.connect(raw, t.host(), t.port());
                socket = s;
                lastTlsFailure = null;
                if (target != t || closed || paused) {
                    continue;
                }
                replicate(s, t);
            } catch (SSLException e) {
                if (target == t && !closed && !paused) {
                    if (!e.toString().equals(lastTlsFailure)) {
                        LOG.warn("replication from {}:{}: TLS handshake failed (is this member's certificate signed by "
                                + "the cluster CA?): {}", t.host(), t.port(), e.toString());
                        lastTlsFailure = e.toString();
                    }
                    sleep(100);
                }
            } catch (FencedException e) {
                fencedStreams.increment();
                LOG.warn("replication from {}:{} refused: {}", t.host(), t.port(), e.getMessage());
                sleep(100);
            } catch (IOException | RuntimeException e) {
                if (target == t && !closed && !paused) {
                    LOG.debug("replication from {}:{} interrupted: {}", t.host(), t.port(), e.toString());
                    sleep(100);
                }
            } finally {
                socket = null;
            }
        }
    }

    /**
     * Asks to be streamed to and appends what arrives. A SYNCOFFSET answers every batch, but
     * only once no further batch is already buffered: one report (and one wake-up of the
     * leader) covers all the batches that came while the last was being stored.
     */
    private void replicate(Socket s, Target t) throws IOException {
        SyncCodec codec = new SyncCodec();
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 64 * 1024));
        OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
        SyncStreams.write(out, codec, follower.request());
        while (target == t && !closed && !paused) {
            SyncPacket p = SyncStreams.read(in, codec, SyncCodec.DEFAULT_MAX_PACKET_BYTES);
            if (!(p instanceof SyncPacket.SyncAck ack)) {
                throw new IOException("unexpected packet from the leader: type " + p.type());
            }
            if (target != t) {
                return; // a newer leader was announced while we waited: do not apply the old one's batch
            }
            SyncPacket.SyncOffset stored = follower.apply(ack);
            if (ack.truncateTo() != SyncPacket.SyncAck.NO_TRUNCATE) {
                // the leader streams only once our log agrees with its history: ask again from the new end
                SyncStreams.buffer(out, codec, stored);
                SyncStreams.write(out, codec, follower.request());
            } else if (in.available() == 0) {
                SyncStreams.write(out, codec, stored);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        unfollow();
        synchronized (lock) {
            lock.notifyAll();
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
