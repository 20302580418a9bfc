package io.gomq.launcher.cluster;

import io.gomq.core.replication.FencedException;
import io.gomq.core.replication.ReplicationLeader;
import io.gomq.core.replication.SyncCodec;
import io.gomq.core.replication.SyncPacket;
import io.gomq.launcher.tls.PeerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The leader's replication listener: a port of its own (never the MQTT one), blocking sockets,
 * two threads per member, one reading its requests and offsets, one streaming records to it
 * (a handful of members, each a long-lived stream, so threads of their own are simpler than
 * an event loop and cost nothing). It listens from the start so its
 * port can be published in etcd, but serves only while a {@link ReplicationLeader} is active;
 * {@link #deactivate} closes every member connection at once (step-down).
 *
 * <p>With {@link PeerTls} every connection first completes a mutual TLS handshake within
 * {@value #HANDSHAKE_TIMEOUT_MS} ms: a peer without a certificate of the cluster CA never reaches
 * the replication protocol (refused, counted and audited by PeerTls). At most
 * {@value #MAX_CONNECTIONS} connections are served at once, so strangers cannot pile up threads.
 */
final class ReplicationServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationServer.class);
    static final int HANDSHAKE_TIMEOUT_MS = 5_000;
    static final int MAX_CONNECTIONS = 64;

    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Consumer<FencedException> onFenced;
    private final PeerTls tls;
    private volatile ReplicationLeader active;
    private volatile boolean closed;

    /** @param tls mutual TLS with the members, or null for plain TCP */
    ReplicationServer(String bind, int port, PeerTls tls, Consumer<FencedException> onFenced) throws IOException {
        this.onFenced = onFenced;
        this.tls = tls;
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(bind, port));
        acceptor = new Thread(this::acceptLoop, "gomq-replication-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void activate(ReplicationLeader leader) {
        active = leader;
    }

    void deactivate() {
        active = null;
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                if (active == null) {
                    closeQuietly(s); // not the leader (any more): the member asks etcd again
                    continue;
                }
                if (sockets.size() >= MAX_CONNECTIONS) {
                    LOG.warn("replication: {} connections open, refusing {}", sockets.size(), s.getRemoteSocketAddress());
                    closeQuietly(s);
                    continue;
                }
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "gomq-replication-" + s.getRemoteSocketAddress());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("replication accept failed", e);
                }
            }
        }
    }

    private void serve(Socket raw) {
        ReplicationLeader leader = active;
        if (leader == null) {
            closeQuietly(raw);
            sockets.remove(raw);
            return;
        }
        Socket s;
        try {
            s = handshake(raw);
        } catch (IOException e) {
            LOG.debug("replication: refused {}: {}", raw.getRemoteSocketAddress(), e.toString());
            closeQuietly(raw);
            sockets.remove(raw);
            return;
        }
        SyncCodec codec = new SyncCodec();
        ReplicationLeader.Connection conn = leader.connect();
        Thread sender = null;
        try {
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 64 * 1024));
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
            while (active == leader) {
                SyncPacket p = SyncStreams.read(in, codec, SyncCodec.DEFAULT_MAX_PACKET_BYTES);
                if (p instanceof SyncPacket.SyncReq r) {
                    if (sender != null) {
                        throw new IOException("SYNCREQ from a member already streamed to");
                    }
                    SyncPacket.SyncAck ack = conn.onSyncReq(r);
                    if (active != leader) {
                        break; // stepped down while the request was held open: send nothing more
                    }
                    SyncStreams.write(out, codec, ack);
                    if (r.stream() && ack.truncateTo() == SyncPacket.SyncAck.NO_TRUNCATE) {
                        sender = startSender(leader, conn, s, out);
                    }
                } else if (p instanceof SyncPacket.SyncOffset o) {
                    conn.onSyncOffset(o);
                } else {
                    throw new IOException("unexpected packet from a member: type " + p.type());
                }
            }
        } catch (FencedException e) {
            LOG.warn("replication: {}", e.getMessage());
            onFenced.accept(e);
        } catch (IOException | RuntimeException e) {
            if (active != null && !closed) {
                LOG.info("replication connection {} ended: {}", s.getRemoteSocketAddress(), e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(s);
            stop(sender); // before the connection's log reader closes: the sender reads through it
            conn.close();
            sockets.remove(raw);
        }
    }

    /**
     * Streams to a member that asked for it: SYNCACKs leave as records arrive, while this
     * connection's first thread reads the member's SYNCOFFSETs. Without a request to wait for,
     * a batch reaches the member one round trip sooner, and the member appends one batch while
     * the next is on its way. Ends (closing the socket) on step-down or any failure.
     */
    private Thread startSender(ReplicationLeader leader, ReplicationLeader.Connection conn, Socket s, OutputStream out) {
        Thread t = new Thread(() -> {
            SyncCodec codec = new SyncCodec();
            try {
                while (active == leader) {
                    SyncPacket.SyncAck ack = conn.next();
                    if (active != leader) {
                        break;
                    }
                    SyncStreams.write(out, codec, ack);
                }
            } catch (IOException | RuntimeException e) {
                if (active != null && !closed) {
                    LOG.info("replication stream to {} ended: {}", s.getRemoteSocketAddress(), e.toString());
                }
            } catch (InterruptedException e) {
                // the connection is closing
            } finally {
                closeQuietly(s);
            }
        }, Thread.currentThread().getName() + "-send");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void stop(Thread sender) {
        if (sender == null) {
            return;
        }
        sender.interrupt();
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Plain TCP as is; with TLS the peer's certificate is checked before anything else is read. */
    private Socket handshake(Socket raw) throws IOException {
        if (tls == null) {
            return raw;
        }
        raw.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
        Socket s = tls.accept(raw);
        s.setSoTimeout(0);
        return s;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        deactivate();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
