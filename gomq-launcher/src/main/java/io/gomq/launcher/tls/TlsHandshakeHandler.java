package io.gomq.launcher.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * Sits behind the SslHandler until the handshake ends: a failure is counted (and audited when
 * it is about a client certificate); a success records the certificate's user name (with
 * tls-identity-as-user) for {@link CertificateUser}, then the handler leaves the pipeline.
 * Event loop only; reads the session the handshake already verified, no I/O.
 */
final class TlsHandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TlsHandshakeHandler.class);

    private final ServerTls tls;

    TlsHandshakeHandler(ServerTls tls) {
        this.tls = tls;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (e.isSuccess()) {
                String user = tls.identity().userOf(peerCertificate(ctx));
                if (user != null) {
                    ctx.channel().attr(CertificateUser.KEY).set(user);
                }
            } else {
                HandshakeFailure f = HandshakeFailure.of(e.cause());
                tls.metrics().count(f);
                if (f.aboutCertificate()) {
                    CertificateAudit.rejected(tls.name(), ctx.channel().remoteAddress(), f);
                } else {
                    LOG.debug("{}: TLS handshake with {} failed: {}", tls.name(), ctx.channel().remoteAddress(), f.reason());
                }
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
    }

    private static X509Certificate peerCertificate(ChannelHandlerContext ctx) {
        SslHandler ssl = (SslHandler) ctx.pipeline().get(ServerTls.HANDLER);
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null; // no client certificate (tls-client-auth optional or none)
        }
    }
}
