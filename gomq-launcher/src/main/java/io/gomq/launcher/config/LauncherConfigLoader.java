package io.gomq.launcher.config;

import io.gomq.core.config.ConfigException;
import io.gomq.launcher.cli.GomqCtl;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link LauncherConfig} from its sources, lowest precedence first: defaults, the
 * config file, GOMQ_* environment variables, command-line flags. Then concludes it.
 * The environment is a parameter so that tests never depend on the real one.
 */
public final class LauncherConfigLoader {
    /** gomqctl's variables: a shell that sets them for the CLI must still start the broker. */
    private static final Set<String> CLIENT_VARIABLES = Set.of(GomqCtl.ENV_CONNECT, GomqCtl.ENV_HTTP);

    private LauncherConfigLoader() {
    }

    /**
     * @param configFile the --config file, or null: then GOMQ_CONFIG names it, if set
     * @param env        the environment (System.getenv() in production)
     * @param flags      command-line values by key ("port" -> "9001"), see {@link LauncherFlags#given()}
     * @throws ConfigException naming the key as the user wrote it: "port" in a file, "GOMQ_PORT", "--port"
     */
    public static LauncherConfig load(Path configFile, Map<String, String> env, Map<String, String> flags) {
        LauncherConfig config = new LauncherConfig();
        Path file = configFile != null ? configFile : envConfigFile(env);
        if (file != null) {
            applyFile(config, file);
        }
        applyEnv(config, env);
        for (Map.Entry<String, String> flag : flags.entrySet()) {
            ConfigKey key = ConfigKey.byKey(flag.getKey())
                    .orElseThrow(() -> new ConfigException("--" + flag.getKey(), flag.getValue(), "unknown flag"));
            key.apply(config, "--" + key.key(), flag.getValue());
        }
        return config.conclude();
    }

    private static Path envConfigFile(Map<String, String> env) {
        String v = env.get(LauncherDefaults.ENV_CONFIG);
        return v == null || v.isBlank() ? null : Path.of(v.trim());
    }

    private static void applyFile(LauncherConfig config, Path file) {
        for (Map.Entry<String, String> e : ConfigFileReader.read(file).entrySet()) {
            ConfigKey key = ConfigKey.byKey(e.getKey()).orElseThrow(() ->
                    new ConfigException(e.getKey(), e.getValue(), "unknown key in " + file));
            key.apply(config, key.key(), e.getValue());
        }
    }

    /**
     * Strict about our prefix: a misspelt GOMQ_ variable that is silently ignored costs more
     * than a refusal to start. GOMQ_CONFIG and gomqctl's variables are the ones that are not settings.
     */
    private static void applyEnv(LauncherConfig config, Map<String, String> env) {
        env.entrySet().stream()
                .filter(e -> e.getKey().startsWith(LauncherDefaults.ENV_PREFIX))
                .filter(e -> !e.getKey().equals(LauncherDefaults.ENV_CONFIG) && !CLIENT_VARIABLES.contains(e.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> ConfigKey.byEnvName(e.getKey())
                        .orElseThrow(() -> new ConfigException(e.getKey(), e.getValue(), "unknown GOMQ_ variable"))
                        .apply(config, e.getKey(), e.getValue()));
    }
}
