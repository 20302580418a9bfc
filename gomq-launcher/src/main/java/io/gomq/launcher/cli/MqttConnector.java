package io.gomq.launcher.cli;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Opens an MQTT connection (3.1.1 or 5) to the first broker of the --connect list that accepts. */
final class MqttConnector {
    static final int CONNECT_TIMEOUT_SECONDS = 5;
    static final int KEEP_ALIVE_SECONDS = 30;
    static final long OPERATION_TIMEOUT_MS = 10_000;

    private final List<BrokerAddress> addresses;
    private final String username;
    private final char[] password;
    private final MqttProtocol protocol;

    MqttConnector(List<BrokerAddress> addresses, String username, char[] password, MqttProtocol protocol) {
        this.addresses = addresses;
        this.username = username;
        this.password = password;
        this.protocol = protocol;
    }

    /** A connected client, or a {@link CtlException} with the matching exit code. */
    MqttLink connect() {
        return Failover.firstAccepting(addresses, address -> protocol == MqttProtocol.V5
                ? Mqtt5Link.open(address, username, password)
                : Mqtt3Link.open(address, username, password));
    }

    /** The first message down the cause chain of a network failure. */
    static String networkReason(Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /** Short enough for any 3.1.1 server (23 characters max), random so runs do not collide. */
    static String clientId() {
        byte[] r = new byte[6];
        ThreadLocalRandom.current().nextBytes(r);
        return "gomqctl-" + HexFormat.of().formatHex(r);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
