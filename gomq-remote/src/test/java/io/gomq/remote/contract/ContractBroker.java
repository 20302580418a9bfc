package io.gomq.remote.contract;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.config.LauncherConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The broker both contract classes run against: a standalone broker on free ports with a durable
 * log and topic rules, so that a refusal is the broker's own in either case. Every client may use
 * {@code contract/#} (a rule before any user line is for everyone); nobody may use {@code guarded/#}.
 */
final class ContractBroker {
    /** The user the authorization tests act for. */
    static final String GUEST = "guest";
    /** The most QoS&gt;=1 deliveries a consumer holds unacknowledged (max-inflight, and the remote Receive Maximum). */
    static final int WINDOW = 16;

    private ContractBroker() {
    }

    static StandaloneBroker start(Path dir) throws IOException {
        Path acl = Files.writeString(dir.resolve("acl"), "topic readwrite contract/#\n");
        LauncherConfig c = new LauncherConfig().bind("127.0.0.1").port(0).httpPort(0).wsPort(0).aclFile(acl);
        c.broker().dataDir(dir.resolve("data")).maxInflight(WINDOW);
        return StandaloneBroker.start(c);
    }
}
