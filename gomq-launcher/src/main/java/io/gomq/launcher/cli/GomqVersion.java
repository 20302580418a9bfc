package io.gomq.launcher.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version, from a resource Maven filters at build time. */
public final class GomqVersion {
    private static final String RESOURCE = "/io/gomq/launcher/version.properties";

    private GomqVersion() {
    }

    public static String current() {
        try (InputStream in = GomqVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through: a version is informational
        }
        return "dev";
    }

    /** For picocli's --version. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"GoMQ-J " + current() + " (MQTT 3.1.1, 5)"};
        }
    }
}
