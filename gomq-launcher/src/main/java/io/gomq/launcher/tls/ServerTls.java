package io.gomq.launcher.tls;

import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;

/**
 * A Netty listener's TLS: certificate and key (reloaded when the files change), the client CA
 * and whether a client certificate is asked for, and which part of it becomes the MQTT user.
 * One instance may serve several listeners (TLS and WSS share the certificate).
 */
public final class ServerTls extends Reloadable<SslContext> {
    static final String HANDLER = "tls";

    private final ClientAuthMode clientAuth;
    private final CertificateIdentity identity;
    private final TlsMetrics metrics;

    /**
     * @param name names the listener in logs and audit lines ("mqtt-tls", "https")
     * @throws TlsException when the files cannot be used
     */
    public ServerTls(String name, TlsFiles files, ClientAuthMode clientAuth, CertificateIdentity identity,
                     TlsMetrics metrics) {
        super(name, files, f -> f.server(clientAuth));
        this.clientAuth = clientAuth;
        this.identity = identity;
        this.metrics = metrics;
    }

    /** Adds the TLS handler (the current certificate) and the handshake auditor in front of the pipeline. */
    public void addTo(ChannelPipeline pipeline, SocketChannel ch) {
        pipeline.addFirst("tls-audit", new TlsHandshakeHandler(this));
        pipeline.addFirst(HANDLER, current().newHandler(ch.alloc()));
    }

    public ClientAuthMode clientAuth() {
        return clientAuth;
    }

    CertificateIdentity identity() {
        return identity;
    }

    TlsMetrics metrics() {
        return metrics;
    }
}
