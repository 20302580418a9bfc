package io.gomq.launcher.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * gomqctl, GoMQ's command-line client: {@code gomqctl [global options] command [command options] [args]}.
 * Global options may also follow the command ({@code gomqctl pub --topic A hi}).
 */
@Command(name = "gomqctl", mixinStandardHelpOptions = true, versionProvider = GomqVersion.Provider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Publish to, subscribe to and inspect a GoMQ-J broker (MQTT 3.1.1 and 5 on 9000, HTTP on 8000).",
        subcommands = {PubCommand.class, SubCommand.class, ListCommand.class, VersionCommand.class,
                HashPasswordCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
                "  gomqctl --topic A --connect 127.0.0.1:9000 pub hello world everyone",
                "  gomqctl --topic A --connect n1:9000,n2:9000,n3:9000 sub --from earliest",
                "  gomqctl --topic A --key user-42 pub '{\"name\":\"x\"}'   (over HTTP)",
                "  gomqctl --protocol 5 --topic A pub --user-property source=door --expiry 60 open",
                "",
                "Environment:",
                "  GOMQ_CONNECT  brokers when --connect is not given",
                "  GOMQ_HTTP     HTTP API when neither --http nor --connect is given",
                ""})
public final class GomqCtl implements Runnable {
    /** Environment variable for --connect: set the broker once per shell. */
    public static final String ENV_CONNECT = "GOMQ_CONNECT";
    /** Environment variable for --http. */
    public static final String ENV_HTTP = "GOMQ_HTTP";
    static final String DEFAULT_CONNECT = "127.0.0.1:" + BrokerAddress.DEFAULT_MQTT_PORT;

    @Option(names = "--connect", paramLabel = "HOST:PORT", split = ",", scope = ScopeType.INHERIT,
            description = "MQTT brokers, tried in order; the first that accepts is used"
                    + " (cluster members refuse with CONNACK 3). Default $GOMQ_CONNECT, else 127.0.0.1:9000.")
    List<String> connect;
    @Option(names = "--protocol", paramLabel = "3.1.1|5", scope = ScopeType.INHERIT,
            description = "MQTT version (default 3.1.1, which every broker speaks); 5 enables pub's message properties")
    String protocol;
    @Option(names = "--topic", paramLabel = "T", scope = ScopeType.INHERIT, description = "topic (sub: a filter, + and # allowed)")
    String topic;
    @Option(names = "--qos", paramLabel = "N", scope = ScopeType.INHERIT, description = "QoS 0, 1 or 2 (default 0)")
    Integer qos;
    @Option(names = "--retain", paramLabel = "N", scope = ScopeType.INHERIT, description = "1 = retained: the broker stores it (default 0)")
    Integer retain;
    @Option(names = "--username", paramLabel = "NAME", scope = ScopeType.INHERIT, description = "user name")
    String username;
    @Option(names = "--password", paramLabel = "PASSWORD", arity = "0..1", interactive = true, scope = ScopeType.INHERIT,
            description = "password; without a value it is asked for (keeps it out of the process list)")
    char[] password;
    @Option(names = "--key", paramLabel = "KEY", scope = ScopeType.INHERIT,
            description = "message key for pub (log compaction keeps the newest message per key)."
                    + " MQTT 3.1.1 has no key field, so pub with --key posts to HTTP /pub instead;"
                    + " without it a message is keyed by its topic.")
    String key;
    @Option(names = "--http", paramLabel = "HOST:PORT", scope = ScopeType.INHERIT,
            description = "HTTP API for list, sub --from, pub --key (default: $GOMQ_HTTP unless --connect is given,"
                    + " else each --connect host on port 8000)")
    String http;

    @Spec
    CommandSpec spec;
    /** stdin for pub -, hash-password; replaced in tests. */
    InputStream in = System.in;
    /** The environment (GOMQ_CONNECT, GOMQ_HTTP); replaced in tests. */
    Map<String, String> env = System.getenv();

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, System.in, out, err));
    }

    /** Runs one command and returns its {@link ExitCode}; never calls System.exit. */
    public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
        return run(args, System.getenv(), in, out, err);
    }

    /** As {@link #run(String[], InputStream, PrintWriter, PrintWriter)} with the given environment instead of the real one. */
    public static int run(String[] args, Map<String, String> env, InputStream in, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine(in, env);
        cli.setOut(out);
        cli.setErr(err);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static CommandLine commandLine(InputStream in, Map<String, String> env) {
        GomqCtl ctl = new GomqCtl();
        ctl.in = in;
        ctl.env = env;
        CommandLine cli = new CommandLine(ctl);
        String[] footer = cli.getCommandSpec().usageMessage().footer();
        String[] withCodes = new String[footer.length + ExitCode.HELP.length];
        System.arraycopy(footer, 0, withCodes, 0, footer.length);
        System.arraycopy(ExitCode.HELP, 0, withCodes, footer.length, ExitCode.HELP.length);
        cli.getCommandSpec().usageMessage().footer(withCodes);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof CtlException c) {
                commandLine.getErr().println("gomqctl: " + c.getMessage());
                return c.exitCode();
            }
            if (ex instanceof ParameterException p) {
                throw p;
            }
            commandLine.getErr().println("gomqctl: " + ex);
            return ExitCode.FAILED;
        });
        return cli;
    }

    // Resolved option values: defaults applied here, not by picocli, so an inherited option
    // given before the command is never reset by the subcommand's defaults.

    /** --connect, else $GOMQ_CONNECT, else 127.0.0.1:9000. */
    List<BrokerAddress> mqttAddresses() {
        String envConnect = envValue(ENV_CONNECT);
        String label = connect != null || envConnect == null ? "--connect " : ENV_CONNECT + " ";
        List<String> given = connect != null ? connect : List.of(envConnect != null ? envConnect : DEFAULT_CONNECT);
        try {
            return BrokerAddress.parseList(given, BrokerAddress.DEFAULT_MQTT_PORT);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), label + e.getMessage());
        }
    }

    /**
     * --http, else $GOMQ_HTTP, else every broker's host on the HTTP port. A --connect flag outranks
     * $GOMQ_HTTP: whoever names other brokers on the command line means their HTTP API too.
     */
    List<BrokerAddress> httpAddresses() {
        String envHttp = envValue(ENV_HTTP);
        String given = http != null ? http : connect == null ? envHttp : null;
        if (given != null) {
            try {
                return List.of(BrokerAddress.parse(given, BrokerAddress.DEFAULT_HTTP_PORT));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), (http != null ? "--http " : ENV_HTTP + " ") + e.getMessage());
            }
        }
        return mqttAddresses().stream().map(a -> a.withPort(BrokerAddress.DEFAULT_HTTP_PORT)).distinct().toList();
    }

    private String envValue(String name) {
        String v = env == null ? null : env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    MqttProtocol protocol() {
        try {
            return protocol == null ? MqttProtocol.V3_1_1 : MqttProtocol.parse(protocol);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    String topic() {
        if (topic == null || topic.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--topic is required");
        }
        return topic;
    }

    int qos() {
        int q = qos == null ? 0 : qos;
        if (q < 0 || q > 2) {
            throw new ParameterException(spec.commandLine(), "--qos must be 0, 1 or 2");
        }
        return q;
    }

    boolean retain() {
        int r = retain == null ? 0 : retain;
        if (r != 0 && r != 1) {
            throw new ParameterException(spec.commandLine(), "--retain must be 0 or 1");
        }
        return r == 1;
    }

    String key() {
        return key;
    }

    char[] password() {
        return password;
    }

    MqttConnector mqtt() {
        return new MqttConnector(mqttAddresses(), username, password, protocol());
    }

    HttpBrokerApi httpApi() {
        return new HttpBrokerApi(httpAddresses(), username, password);
    }
}
