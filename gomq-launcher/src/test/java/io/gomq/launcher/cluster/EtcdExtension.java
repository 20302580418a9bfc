package io.gomq.launcher.cluster;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.URI;

/**
 * One real etcd ({@link EtcdServer}) for a test class, started before its first test and
 * stopped (its files deleted) after the last:
 * {@code @RegisterExtension static final EtcdExtension etcd = new EtcdExtension();}
 */
public final class EtcdExtension implements BeforeAllCallback, AfterAllCallback {
    private EtcdServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = EtcdServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public URI uri() {
        return server.uri();
    }

    public String endpoint() {
        return server.endpoint();
    }

    /** SIGKILL: an etcd outage. */
    public void kill() throws InterruptedException {
        server.kill();
    }

    /** Starts it again on the same ports and data. */
    public void restart() throws Exception {
        server.restart();
    }
}
