package io.gomq.launcher.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * One party's PEM files: its certificate chain (own certificate first), its PKCS#8 private key
 * (unencrypted), and the CA certificates it trusts for the other side. Any may be null where
 * the use allows it (a server without client authentication has no CA; a client may have no
 * certificate of its own).
 */
public record TlsFiles(Path cert, Path key, Path ca) {

    /**
     * A server context. With a CA, peers are checked against it as {@code clientAuth} says.
     * JDK provider: netty-tcnative is not shipped, and probing for it costs ~0.2 s of start-up.
     *
     * @throws TlsException when a file cannot be read or the certificate and key do not match
     */
    public SslContext server(ClientAuthMode clientAuth) {
        try {
            SslContextBuilder b = SslContextBuilder.forServer(cert.toFile(), key.toFile()).sslProvider(SslProvider.JDK);
            if (ca != null && clientAuth != ClientAuthMode.NONE) {
                b.trustManager(trustManager()).clientAuth(clientAuth.netty());
            }
            return b.build();
        } catch (TlsException e) {
            throw e;
        } catch (Exception e) {
            throw new TlsException("cannot load TLS certificate " + cert + " and key " + key + ": " + e.getMessage(), e);
        }
    }

    /** A client context that presents {@code cert} (when given) and trusts only {@code ca} (when given). */
    public SslContext client() {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
            if (cert != null) {
                b.keyManager(cert.toFile(), key.toFile());
            }
            if (ca != null) {
                b.trustManager(trustManager());
            }
            return b.build();
        } catch (TlsException e) {
            throw e;
        } catch (Exception e) {
            throw new TlsException("cannot load TLS client certificate " + cert + " and key " + key + ": " + e.getMessage(), e);
        }
    }

    /** Trusts exactly the certificates in the CA file; a refused peer's subject travels in the exception. */
    TrustManager trustManager() {
        try (InputStream in = Files.newInputStream(ca)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new TlsException("CA file " + ca + " holds no PEM certificate", null);
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return new AuditingTrustManager(x);
                }
            }
            throw new TlsException("no X.509 trust manager in this JDK", null);
        } catch (TlsException e) {
            throw e;
        } catch (Exception e) {
            throw new TlsException("cannot load CA file " + ca + ": " + e.getMessage(), e);
        }
    }

    /** Changes when any of the files is replaced or rewritten (modification time and size); polled for reloads. */
    String stamp() {
        StringBuilder s = new StringBuilder();
        for (Path p : new Path[] {cert, key, ca}) {
            if (p != null) {
                try {
                    s.append(Files.getLastModifiedTime(p).toMillis()).append('/').append(Files.size(p)).append(';');
                } catch (IOException e) {
                    s.append("missing;");
                }
            }
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return "cert=" + cert + ", key=" + key + (ca == null ? "" : ", ca=" + ca);
    }
}
