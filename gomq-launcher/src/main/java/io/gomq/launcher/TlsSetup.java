package io.gomq.launcher;

import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.config.TlsSettings;
import io.gomq.launcher.tls.CertificateIdentity;
import io.gomq.launcher.tls.ClientAuthMode;
import io.gomq.launcher.tls.PeerTls;
import io.gomq.launcher.tls.Reloadable;
import io.gomq.launcher.tls.ServerTls;
import io.gomq.launcher.tls.TlsFiles;
import io.gomq.launcher.tls.TlsMetrics;
import io.gomq.launcher.tls.TlsReloader;

import java.util.ArrayList;
import java.util.List;

/**
 * The broker's TLS contexts, built once from the settings before any listener opens (a bad file
 * stops the start with its name), and the reload thread that keeps them current:
 * the MQTT TLS and WSS listeners (client certificates as tls-client-auth says), HTTPS (same
 * certificate, no client certificate), and the replication stream between members (its own
 * certificate and CA: a device certificate must never make a cluster member).
 */
final class TlsSetup implements AutoCloseable {
    final TlsMetrics metrics = new TlsMetrics();
    /** tls-port and wss-port, or null. */
    final ServerTls listeners;
    /** The HTTP API with http-tls, or null. */
    final ServerTls https;
    /** cluster-tls-*, or null. */
    final PeerTls peers;
    private final TlsReloader reloader;

    private TlsSetup(LauncherConfig c) {
        TlsSettings s = c.tls();
        listeners = c.tlsEnabled() || c.wssEnabled()
                ? new ServerTls("mqtt-tls", new TlsFiles(c.tlsCert(), c.tlsKey(), s.clientCa()), s.clientAuth(),
                        s.identityAsUser(), metrics)
                : null;
        https = s.httpTls()
                ? new ServerTls("https", new TlsFiles(c.tlsCert(), c.tlsKey(), null), ClientAuthMode.NONE,
                        CertificateIdentity.OFF, metrics)
                : null;
        peers = s.clusterTls() ? new PeerTls(s.clusterFiles(), metrics) : null;
        List<Reloadable<?>> watched = new ArrayList<>();
        if (listeners != null) {
            watched.add(listeners);
        }
        if (https != null) {
            watched.add(https);
        }
        if (peers != null) {
            watched.addAll(peers.reloadables());
        }
        reloader = watched.isEmpty() || s.reloadMs() == 0 ? null : new TlsReloader(watched, s.reloadMs(), metrics);
    }

    /** @throws io.gomq.launcher.tls.TlsException naming the file that cannot be used */
    static TlsSetup from(LauncherConfig config) {
        return new TlsSetup(config);
    }

    @Override
    public void close() {
        if (reloader != null) {
            reloader.close();
        }
    }
}
