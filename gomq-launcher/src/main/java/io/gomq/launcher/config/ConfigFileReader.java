package io.gomq.launcher.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.gomq.core.config.ConfigException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Reads a config file into raw {@code key -> text} pairs; {@link LauncherConfigLoader} parses
 * the values. {@code .properties} is flat; in {@code .yaml}/{@code .yml} nested mappings join
 * their keys with '-' ({@code tls: {port: 8883}} is {@code tls-port}) and lists join with ','.
 */
public final class ConfigFileReader {
    private ConfigFileReader() {
    }

    public static Map<String, String> read(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".properties")) {
            return readProperties(file);
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return readYaml(file);
        }
        throw new ConfigException("config", file, "expected a .properties, .yaml or .yml file");
    }

    private static Map<String, String> readProperties(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("config", file, "cannot read: " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        props.stringPropertyNames().stream().sorted().forEach(k -> out.put(k.trim(), props.getProperty(k)));
        return out;
    }

    private static Map<String, String> readYaml(Path file) {
        JsonNode root;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new YAMLMapper().readTree(in);
        } catch (JsonProcessingException e) {
            throw new ConfigException("config", file, "bad YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : ""));
        } catch (IOException e) {
            throw new ConfigException("config", file, "cannot read: " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return out; // an empty file
        }
        if (!root.isObject()) {
            throw new ConfigException("config", file, "expected a mapping of key: value at the top");
        }
        flatten("", root, out, file);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "-" + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(key, v, out, file);
            } else if (v.isArray()) {
                List<String> items = new ArrayList<>();
                for (JsonNode item : v) {
                    if (!item.isValueNode()) {
                        throw new ConfigException(key, item, "a list may hold only plain values");
                    }
                    items.add(item.asText());
                }
                out.put(key, String.join(",", items));
            } else {
                out.put(key, v.isNull() ? "" : v.asText());
            }
        }
    }
}
