package io.gomq.launcher.cluster;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.gomq.launcher.tls.TlsFiles;

import javax.net.ssl.SSLException;
import java.net.URI;
import java.util.List;

/**
 * Opens jetcd clients: plain for http:// endpoints, TLS for https:// ones, checked against
 * etcd-tls-ca (the JDK's trust store when not given) and presenting etcd-tls-cert when etcd
 * runs with --client-cert-auth.
 */
public final class EtcdClients {
    private EtcdClients() {
    }

    /** @param tls etcd's CA and our client certificate (either may be null), or null */
    public static Client open(List<URI> endpoints, TlsFiles tls) {
        ClientBuilder b = Client.builder().endpoints(endpoints.toArray(new URI[0]));
        boolean https = endpoints.stream().anyMatch(u -> "https".equals(u.getScheme()));
        if (tls != null || https) {
            try {
                b.sslContext(ssl -> { // gRPC's defaults (HTTP/2 by ALPN), then our files
                    if (tls != null && tls.ca() != null) {
                        ssl.trustManager(tls.ca().toFile());
                    }
                    if (tls != null && tls.cert() != null) {
                        ssl.keyManager(tls.cert().toFile(), tls.key().toFile());
                    }
                });
            } catch (SSLException | RuntimeException e) {
                throw new ClusterException("cannot use the etcd TLS files (" + tls + "): " + e.getMessage(), e);
            }
        }
        return b.build();
    }
}
