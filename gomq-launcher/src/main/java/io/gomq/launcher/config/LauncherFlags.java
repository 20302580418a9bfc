package io.gomq.launcher.config;

import io.gomq.launcher.cli.GomqVersion;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker's command line ({@code java -jar gomq.jar [flags]}): {@code --config}, {@code --help},
 * {@code --version} and one flag per {@link ConfigKey}, built from that table, so a new setting
 * is a flag at once. Values stay raw text here and are parsed by {@link ConfigKey}, like file
 * and environment values, so errors read the same. A flag not given does not override
 * lower-precedence sources.
 */
public final class LauncherFlags {
    private static final String CONFIG = "--config";

    private CommandSpec spec;

    /** The --config file, or null. */
    public Path configFile() {
        return spec == null ? null : spec.findOption(CONFIG).getValue();
    }

    /** The flags that were given, by config key, as raw text. */
    public Map<String, String> given() {
        Map<String, String> m = new LinkedHashMap<>();
        if (spec == null) {
            return m;
        }
        for (ConfigKey k : ConfigKey.values()) {
            Object v = spec.findOption("--" + k.key()).getValue();
            if (v instanceof List<?> list) {
                m.put(k.key(), String.join(",", list.stream().map(String::valueOf).toList()));
            } else if (v != null) {
                m.put(k.key(), v.toString());
            }
        }
        return m;
    }

    /** Loads the full configuration: these flags over GOMQ_* variables over the file over defaults. */
    public LauncherConfig toConfig(Map<String, String> env) {
        return LauncherConfigLoader.load(configFile(), env, given());
    }

    /** A picocli command line whose parse fills {@code flags}; its help lists every setting with its default. */
    public static CommandLine commandLine(LauncherFlags flags) {
        CommandSpec spec = CommandSpec.create().name("gomq").mixinStandardHelpOptions(true)
                .versionProvider(new GomqVersion.Provider());
        spec.usageMessage().sortOptions(false).autoWidth(true)
                .customSynopsis("gomq [--config=FILE] [--SETTING=VALUE]... [-hV]")
                .description("GoMQ-J broker: MQTT 3.1.1 and 5 on --port, MQTT over WebSocket on --ws-port, HTTP API on --http-port.")
                .footer("",
                        "Precedence, lowest first: defaults, --config file, GOMQ_* variables, flags.",
                        "Every flag is also a file key and a variable: --data-dir = data-dir = GOMQ_DATA_DIR.");
        spec.addOption(OptionSpec.builder(CONFIG).paramLabel("FILE").type(Path.class)
                .description("settings file (.properties, .yaml, .yml); also " + LauncherDefaults.ENV_CONFIG).build());
        for (ConfigKey k : ConfigKey.values()) {
            spec.addOption(option(k));
        }
        flags.spec = spec;
        return new CommandLine(spec);
    }

    private static OptionSpec option(ConfigKey k) {
        OptionSpec.Builder b = OptionSpec.builder("--" + k.key()).paramLabel(k.label())
                .description((k.description() + (k.defaultText() == null ? "" : " (default " + k.defaultText() + ")"))
                        .replace("%", "%%")); // picocli reads % as a format
        if (k.isList()) {
            return b.type(List.class).auxiliaryTypes(String.class).splitRegex(",").build();
        }
        if (k.isSwitch()) {
            b.arity("0..1").fallbackValue("true");
        }
        return b.type(String.class).build();
    }
}
