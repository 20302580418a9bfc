package io.gomq.launcher.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gomq.core.config.ConfigException;
import io.gomq.core.testing.FuzzInvariants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Coverage-guided fuzzing (Jazzer) of the config reader: the input (after its first byte, which
 * picks .properties or .yaml) is written as the config file and loaded the way the launcher
 * does. Only {@link ConfigException} (naming the key and the problem) may escape.
 */
class ConfigFileCoverageFuzzTest {
    private static Path dir;

    @BeforeAll
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("gomq-config-fuzz");
    }

    @AfterAll
    static void deleteDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @FuzzTest(maxDuration = "")
    void load(byte[] data) throws IOException {
        if (data.length == 0) {
            return;
        }
        Path file = dir.resolve((data[0] & 1) == 0 ? "gomq.properties" : "gomq.yaml");
        Files.write(file, Arrays.copyOfRange(data, 1, data.length));
        FuzzInvariants.onlyThrows(ConfigException.class, () -> LauncherConfigLoader.load(file, Map.of(), Map.of()));
    }
}
