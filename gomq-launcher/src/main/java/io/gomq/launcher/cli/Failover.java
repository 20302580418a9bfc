package io.gomq.launcher.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Tries the brokers of a --connect list in order and keeps the first that accepts. Cluster
 * members refuse clients (CONNACK 3), so with a list of all nodes this finds the leader.
 * A refusal of the credentials ends the search: another node would refuse them too.
 */
final class Failover {
    @FunctionalInterface
    interface Attempt<T> {
        T connect(BrokerAddress address) throws ConnectFailure;
    }

    private Failover() {
    }

    static <T> T firstAccepting(List<BrokerAddress> addresses, Attempt<T> attempt) {
        List<String> tried = new ArrayList<>();
        boolean anyUnavailable = false;
        for (BrokerAddress address : addresses) {
            try {
                return attempt.connect(address);
            } catch (ConnectFailure f) {
                if (!f.tryNext()) {
                    int code = f.kind() == ConnectFailure.Kind.NOT_AUTHORIZED ? ExitCode.NOT_AUTHORIZED : ExitCode.FAILED;
                    throw new CtlException(code, address + ": " + f.getMessage(), f);
                }
                anyUnavailable |= f.kind() == ConnectFailure.Kind.UNAVAILABLE;
                tried.add(address + " " + f.getMessage());
            }
        }
        if (anyUnavailable) {
            throw new CtlException(ExitCode.UNAVAILABLE, "no broker accepted the connection: " + String.join("; ", tried));
        }
        throw new CtlException(ExitCode.UNREACHABLE, "cannot reach a broker: " + String.join("; ", tried));
    }
}
