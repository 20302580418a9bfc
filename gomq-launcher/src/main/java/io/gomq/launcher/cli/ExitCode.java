package io.gomq.launcher.cli;

/** gomqctl's exit codes; listed in its help so scripts can rely on them. */
public final class ExitCode {
    public static final int OK = 0;
    /** The request failed after connecting: publish error, lost connection, HTTP error reply. */
    public static final int FAILED = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** No broker could be reached (connection refused, unknown host, timeout). */
    public static final int UNREACHABLE = 3;
    /** Brokers answered but none serves clients now (CONNACK 3 / HTTP 503: cluster members, no leader). */
    public static final int UNAVAILABLE = 4;
    /** Refused: bad user name or password, or not authorized (CONNACK 4/5, HTTP 401/403). */
    public static final int NOT_AUTHORIZED = 5;

    static final String[] HELP = {
        "Exit codes:",
        "  0  success",
        "  1  failed after connecting (publish error, lost connection, HTTP error)",
        "  2  bad command line",
        "  3  no broker reachable",
        "  4  unavailable: every broker refused (CONNACK 3: cluster members; HTTP 503)",
        "  5  not authorized: bad user name or password (CONNACK 4/5, HTTP 401/403)",
    };

    private ExitCode() {
    }
}
