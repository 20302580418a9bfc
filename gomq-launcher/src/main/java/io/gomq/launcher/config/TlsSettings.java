package io.gomq.launcher.config;

import io.gomq.core.config.ConfigException;
import io.gomq.launcher.tls.CertificateIdentity;
import io.gomq.launcher.tls.ClientAuthMode;
import io.gomq.launcher.tls.TlsFiles;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Transport security beyond the listener certificate ({@code tls-cert}, {@code tls-key} live in
 * {@link LauncherConfig}): client certificates on the MQTT TLS listeners, HTTPS for the HTTP
 * API, mutual TLS between cluster members, and TLS to etcd. Validated by
 * {@link LauncherConfig#conclude()}.
 */
public final class TlsSettings {
    public static final long RELOAD_MS = 10_000;

    private Path clientCa;
    private ClientAuthMode clientAuth = ClientAuthMode.NONE;
    private CertificateIdentity identityAsUser = CertificateIdentity.OFF;
    private long reloadMs = RELOAD_MS;
    private boolean httpTls;
    private Path clusterCert;
    private Path clusterKey;
    private Path clusterCa;
    private Path etcdCa;
    private Path etcdCert;
    private Path etcdKey;

    /** @param listenerTls a TLS or WSS listener is configured (with tls-cert and tls-key) */
    void conclude(boolean listenerTls, boolean clustered, List<URI> etcdEndpoints) {
        if (clientAuth != ClientAuthMode.NONE) {
            if (!listenerTls) {
                throw new ConfigException("tls-client-auth", clientAuth, "needs tls-port or wss-port");
            }
            LauncherConfig.requireReadable("tls-ca", clientCa, "required with tls-client-auth " + clientAuth);
        } else if (clientCa != null) {
            throw new ConfigException("tls-ca", clientCa, "given with tls-client-auth none: say optional or required");
        }
        if (identityAsUser != CertificateIdentity.OFF && clientAuth == ClientAuthMode.NONE) {
            throw new ConfigException("tls-identity-as-user", identityAsUser, "needs tls-client-auth optional or required");
        }
        if (reloadMs < 0) {
            throw new ConfigException("tls-reload-ms", reloadMs, "must be >= 0");
        }
        Path[] cluster = {clusterCert, clusterKey, clusterCa};
        String[] clusterKeys = {"cluster-tls-cert", "cluster-tls-key", "cluster-tls-ca"};
        boolean anyCluster = clusterCert != null || clusterKey != null || clusterCa != null;
        for (int i = 0; i < cluster.length; i++) {
            if (anyCluster) {
                LauncherConfig.requireReadable(clusterKeys[i], cluster[i], "cluster TLS needs cluster-tls-cert, cluster-tls-key and cluster-tls-ca");
            }
        }
        if ((clusterTls() || etcdTls()) && !clustered) {
            throw new ConfigException(clusterTls() ? "cluster-tls-cert" : "etcd-tls-ca",
                    clusterTls() ? clusterCert : etcdCa, "needs a cluster (etcd)");
        }
        if ((etcdCert == null) != (etcdKey == null)) {
            throw new ConfigException(etcdCert == null ? "etcd-tls-cert" : "etcd-tls-key", null,
                    "etcd-tls-cert and etcd-tls-key go together");
        }
        for (Path p : new Path[] {etcdCa, etcdCert, etcdKey}) {
            if (p != null) {
                LauncherConfig.requireReadable(p == etcdCa ? "etcd-tls-ca" : p == etcdCert ? "etcd-tls-cert" : "etcd-tls-key", p, "");
            }
        }
        if (etcdTls()) {
            for (URI u : etcdEndpoints) {
                if (!"https".equals(u.getScheme())) {
                    throw new ConfigException("etcd", u, "use https:// endpoints with etcd TLS settings");
                }
            }
        }
    }

    /** PEM CA certificates that client certificates must chain to; null unless tls-client-auth asks for them. */
    public Path clientCa() { return clientCa; }
    public TlsSettings clientCa(Path v) { clientCa = v; return this; }
    public ClientAuthMode clientAuth() { return clientAuth; }
    public TlsSettings clientAuth(ClientAuthMode v) { clientAuth = v; return this; }
    /** Which certificate field becomes the MQTT user; OFF keeps the CONNECT's user name. */
    public CertificateIdentity identityAsUser() { return identityAsUser; }
    public TlsSettings identityAsUser(CertificateIdentity v) { identityAsUser = v; return this; }
    /** How often the TLS files are checked for changes; 0 = never reloaded. */
    public long reloadMs() { return reloadMs; }
    public TlsSettings reloadMs(long v) { reloadMs = v; return this; }
    /** The HTTP API speaks HTTPS with tls-cert and tls-key. */
    public boolean httpTls() { return httpTls; }
    public TlsSettings httpTls(boolean v) { httpTls = v; return this; }
    public TlsSettings clusterCert(Path v) { clusterCert = v; return this; }
    public TlsSettings clusterKey(Path v) { clusterKey = v; return this; }
    public TlsSettings clusterCa(Path v) { clusterCa = v; return this; }
    public TlsSettings etcdCa(Path v) { etcdCa = v; return this; }
    public TlsSettings etcdCert(Path v) { etcdCert = v; return this; }
    public TlsSettings etcdKey(Path v) { etcdKey = v; return this; }

    /** Mutual TLS on the replication stream: all three cluster-tls files given. */
    public boolean clusterTls() {
        return clusterCert != null && clusterKey != null && clusterCa != null;
    }

    /** The member's certificate, key and the cluster CA, or null without cluster TLS. */
    public TlsFiles clusterFiles() {
        return clusterTls() ? new TlsFiles(clusterCert, clusterKey, clusterCa) : null;
    }

    /** TLS towards etcd with our own CA or client certificate. */
    public boolean etcdTls() {
        return etcdCa != null || etcdCert != null;
    }

    /** etcd's CA and this node's client certificate (either may be null), or null without etcd TLS settings. */
    public TlsFiles etcdFiles() {
        return etcdTls() ? new TlsFiles(etcdCert, etcdKey, etcdCa) : null;
    }

    @Override
    public String toString() {
        return "clientAuth=" + clientAuth + (clientCa != null ? ", tlsCa=" + clientCa : "")
                + (identityAsUser != CertificateIdentity.OFF ? ", identityAsUser=" + identityAsUser : "")
                + (httpTls ? ", httpTls=true" : "") + (clusterTls() ? ", clusterTls=" + clusterFiles() : "")
                + (etcdTls() ? ", etcdTls=" + etcdFiles() : "");
    }
}
