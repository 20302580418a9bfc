package io.gomq.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The JVM flags every forked benchmark JVM gets: the root pom's {@code gomq.jvm.flags}
 * (what Chronicle Queue needs on JDK 17, harmless on 21-25).
 *
 * <p>Design note: one constant per flag, not one string, because JMH passes each element of
 * {@code @Fork(jvmArgsAppend)} to {@code java} as a single argument, and an annotation can only
 * take constants element by element. Benchmarks do not list them: they extend
 * {@link ForkedBenchmark}, which does. The build copies the pom property into the jar manifest
 * ({@value #MANIFEST_ATTRIBUTE}) and {@link #check()} fails a run when the two lists drift apart.
 */
public final class JvmFlags {
    public static final String ADD_EXPORTS_JDK_INTERNAL_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    /** Chronicle Bytes' vectorized compare (it logs that it falls back without it). */
    public static final String ADD_EXPORTS_JDK_INTERNAL_UTIL = "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED";
    public static final String ADD_EXPORTS_SUN_NIO_CH = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    public static final String ADD_OPENS_JAVA_LANG_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    public static final String ADD_OPENS_JAVA_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    public static final String ADD_OPENS_JAVA_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    public static final String ADD_OPENS_SUN_NIO_CH = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";
    public static final String ADD_OPENS_JDK_INTERNAL_MISC = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED";
    public static final String ADD_EXPORTS_SUN_MISC = "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED";
    public static final String ADD_EXPORTS_JAVAC_FILE = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";
    public static final String IGNORE_UNRECOGNIZED = "-XX:+IgnoreUnrecognizedVMOptions";
    public static final String CHRONICLE_ANALYTICS_OFF = "-Dchronicle.analytics.disable=true";

    /** All of the above, in the pom's order. */
    public static final List<String> CHRONICLE = List.of(
            ADD_EXPORTS_JDK_INTERNAL_REF, ADD_EXPORTS_JDK_INTERNAL_UTIL, ADD_EXPORTS_SUN_NIO_CH, ADD_OPENS_JAVA_LANG_REFLECT, ADD_OPENS_JAVA_LANG,
            ADD_OPENS_JAVA_NIO, ADD_OPENS_SUN_NIO_CH, ADD_OPENS_JDK_INTERNAL_MISC, ADD_EXPORTS_SUN_MISC,
            ADD_EXPORTS_JAVAC_FILE, IGNORE_UNRECOGNIZED, CHRONICLE_ANALYTICS_OFF);

    /** Manifest attribute of benchmarks.jar holding the root pom's {@code gomq.jvm.flags}. */
    public static final String MANIFEST_ATTRIBUTE = "GoMQ-JVM-Flags";

    private JvmFlags() {
    }

    /**
     * Runs in the forked JVM. Throws if {@link #CHRONICLE} no longer matches the build's flags
     * (when run from benchmarks.jar); warns if this JVM did not get them (a {@code -jvmArgsAppend}
     * on the command line replaces the annotation's list instead of adding to it).
     */
    public static void check() {
        List<String> fromBuild = buildFlags();
        if (fromBuild != null && !fromBuild.equals(CHRONICLE)) {
            throw new IllegalStateException("JvmFlags.CHRONICLE differs from the root pom's gomq.jvm.flags:\n  pom:      "
                    + fromBuild + "\n  JvmFlags: " + CHRONICLE + "\nUpdate io.gomq.bench.JvmFlags (and ForkedBenchmark).");
        }
        List<String> missing = new ArrayList<>(CHRONICLE);
        missing.removeAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        if (!missing.isEmpty()) {
            System.err.println("WARNING: this benchmark JVM lacks " + missing
                    + " (did -jvmArgsAppend replace them? add them there too)");
        }
    }

    /** The flags recorded in the jar this class was loaded from; null outside benchmarks.jar (an IDE run). */
    static List<String> buildFlags() {
        try {
            Path location = Path.of(JvmFlags.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(location)) {
                return null;
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                Manifest manifest = jar.getManifest();
                String flags = manifest == null ? null : manifest.getMainAttributes().getValue(MANIFEST_ATTRIBUTE);
                return flags == null ? null : List.of(flags.trim().split("\\s+"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }
}
