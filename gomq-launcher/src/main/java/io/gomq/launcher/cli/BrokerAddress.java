package io.gomq.launcher.cli;

import java.util.ArrayList;
import java.util.List;

/** A {@code HOST:PORT} (IPv6 hosts in brackets: {@code [::1]:9000}). */
public record BrokerAddress(String host, int port) {
    public static final int DEFAULT_MQTT_PORT = 9000;
    public static final int DEFAULT_HTTP_PORT = 8000;

    public BrokerAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " out of range 1-65535");
        }
    }

    /** Parses {@code HOST:PORT}; a bare {@code HOST} gets {@code defaultPort}. */
    public static BrokerAddress parse(String text, int defaultPort) {
        String s = text.trim();
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "': missing ']'");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else if (!rest.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "': expected HOST:PORT");
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + text + "': write IPv6 addresses as [ADDR]:PORT");
            }
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        try {
            return new BrokerAddress(host, port == null ? defaultPort : Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': port is not a number");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage());
        }
    }

    /** Parses a comma-separated list; entries may also come from a repeated option. */
    public static List<BrokerAddress> parseList(List<String> entries, int defaultPort) {
        List<BrokerAddress> out = new ArrayList<>();
        for (String entry : entries) {
            for (String part : entry.split(",")) {
                if (!part.isBlank()) {
                    out.add(parse(part, defaultPort));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no HOST:PORT given");
        }
        return List.copyOf(out);
    }

    public BrokerAddress withPort(int newPort) {
        return new BrokerAddress(host, newPort);
    }

    /** Host part for a URI: IPv6 in brackets. */
    public String uriHost() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public String toString() {
        return uriHost() + ":" + port;
    }
}
