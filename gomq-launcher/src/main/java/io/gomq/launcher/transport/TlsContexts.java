package io.gomq.launcher.transport;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import java.nio.file.Path;

/** Server TLS contexts from PEM files. */
public final class TlsContexts {
    private TlsContexts() {
    }

    /**
     * @param certChain PEM certificate chain, the server's own certificate first
     * @param key       PEM PKCS#8 private key (unencrypted)
     * @throws ListenException when the files cannot be read or do not match
     */
    public static SslContext server(Path certChain, Path key) {
        try {
            // JDK provider: netty-tcnative is not shipped, and probing for it costs ~0.2 s of start-up
            return SslContextBuilder.forServer(certChain.toFile(), key.toFile()).sslProvider(SslProvider.JDK).build();
        } catch (Exception e) {
            throw new ListenException("cannot load TLS certificate " + certChain + " and key " + key + ": " + e.getMessage(), e);
        }
    }
}
