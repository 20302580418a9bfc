package io.gomq.launcher;

import io.gomq.core.config.ConfigException;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.config.LauncherFlags;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** {@code java -jar gomq.jar [flags]}: the standalone broker. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Before any Chronicle class loads: its analytics would phone home.
        System.setProperty("chronicle.analytics.disable", "true");
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = run(args, System.getenv(), out, err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Parses the configuration; 0 = ok (or help shown), 2 = bad flags or settings. */
    static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        LauncherFlags flags = new LauncherFlags();
        CommandLine cli = LauncherFlags.commandLine(flags);
        cli.setOut(out);
        cli.setErr(err);
        LauncherConfig config;
        try {
            ParseResult parsed = cli.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return 0;
            }
            config = flags.toConfig(env);
        } catch (ParameterException e) {
            err.println("gomq: " + e.getMessage());
            cli.usage(err);
            return 2;
        } catch (ConfigException e) {
            err.println("gomq: " + e.getMessage());
            return 2;
        }
        // TODO(transport): build the Authenticator (Authenticators.forUsersFile(config.usersFile(),
        // config.allowAnonymous())), launch the engine with config.broker(), then the MQTT/HTTP
        // listeners and, when config.clustered(), the etcd membership; close all on shutdown.
        out.println("gomq: configuration " + config);
        out.println("gomq: TODO the transport is not wired yet; exiting");
        return 0;
    }
}
