package io.gomq.launcher.tls;

import io.netty.handler.ssl.JdkSslContext;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;

/**
 * Mutual TLS between cluster members on blocking sockets (the replication stream): each side
 * presents its certificate and accepts only certificates of the cluster CA. Host names are not
 * checked: membership is the CA's signature, so the cluster CA must sign nothing else.
 * Certificates reload like the listeners' (each new connection uses the current files).
 */
public final class PeerTls {
    private final Reloadable<SSLContext> server;
    private final Reloadable<SSLContext> client;
    private final TlsMetrics metrics;

    /** @throws TlsException when the files cannot be used */
    public PeerTls(TlsFiles files, TlsMetrics metrics) {
        if (files.cert() == null || files.key() == null || files.ca() == null) {
            throw new TlsException("cluster TLS needs a certificate, a key and the cluster CA", null);
        }
        this.server = new Reloadable<>("replication-server", files,
                f -> ((JdkSslContext) f.server(ClientAuthMode.REQUIRED)).context());
        this.client = new Reloadable<>("replication-client", files, f -> ((JdkSslContext) f.client()).context());
        this.metrics = metrics;
    }

    /** Both contexts, for the {@link TlsReloader}. */
    public java.util.List<Reloadable<SSLContext>> reloadables() {
        return java.util.List.of(server, client);
    }

    /**
     * The server side of an accepted connection: the handshake runs here (bounded by the
     * socket's read timeout); a peer without a certificate of the cluster CA is counted, audited
     * and gets an IOException.
     */
    public Socket accept(Socket accepted) throws IOException {
        SSLSocket s = (SSLSocket) server.current().getSocketFactory()
                .createSocket(accepted, accepted.getInetAddress().getHostAddress(), accepted.getPort(), true);
        s.setUseClientMode(false);
        s.setNeedClientAuth(true);
        try {
            s.startHandshake();
            return s;
        } catch (IOException e) {
            HandshakeFailure f = HandshakeFailure.of(e);
            CertificateAudit.rejected(server.name(), accepted.getRemoteSocketAddress(),
                    f.aboutCertificate() ? f : new HandshakeFailure(f.kind(), "no cluster certificate: " + f.reason(), "-"));
            metrics.replicationPeersRefused.increment(); // after the audit line: whoever sees the count finds the line
            s.close();
            throw e;
        }
    }

    /** The client side of a connection to the leader: presents this member's certificate, checks the leader's. */
    public Socket connect(Socket connected, String host, int port) throws IOException {
        SSLSocket s = (SSLSocket) client.current().getSocketFactory().createSocket(connected, host, port, true);
        s.setUseClientMode(true);
        s.startHandshake();
        return s;
    }
}
