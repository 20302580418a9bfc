package io.gomq.embedded.boundary;

import io.gomq.client.Qos;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.embedded.GoMqBroker;
import org.jctools.queues.MpscArrayQueue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module boundary holds: a module that requires {@code io.gomq.embedded} compiles against the
 * API ({@code io.gomq.client}, {@code io.gomq.embedded}) and fails to compile against the engine
 * ({@code io.gomq.core}) or the in-process implementation ({@code io.gomq.embedded.internal}).
 *
 * <p>It compiles this module's real descriptor ({@code src/main/jpms/module-info.java}, which the
 * build puts into the jar) over the compiled classes, with the engine as the automatic module
 * its jar's manifest names, then a small user module against the result, with javac.
 */
@Timeout(120)
class ModuleBoundaryTest {
    private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

    @TempDir
    static Path work;
    private static List<Path> modulePath;

    @BeforeAll
    static void compileTheEmbeddedModule() throws Exception {
        Path client = location(Qos.class);
        Path core = asAutomaticModule(location(BrokerEngine.class), "io.gomq.core");
        List<Path> dependencies = List.of(client, core, location(MpscArrayQueue.class), location(Logger.class));
        Path embeddedClasses = location(GoMqBroker.class);
        Path embedded = work.resolve("io.gomq.embedded");
        copyTree(embeddedClasses, embedded);
        Compilation descriptor = compile(embedded, dependencies,
                List.of("--patch-module", "io.gomq.embedded=" + embeddedClasses),
                List.of(Path.of("src/main/jpms/module-info.java")));
        assertTrue(descriptor.ok(), "the module descriptor compiles: " + descriptor.errors());
        modulePath = new ArrayList<>(dependencies);
        modulePath.add(0, embedded);
    }

    @Test
    void aUserModuleCompilesAgainstTheApi() throws Exception {
        Compilation c = compileUserModule("api", """
                import io.gomq.client.GoMqClient;
                import io.gomq.client.Producer;
                import io.gomq.client.Qos;
                import io.gomq.embedded.EmbeddedConfig;
                import io.gomq.embedded.GoMqBroker;
                public class App {
                    public static void main(String[] args) {
                        try (GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().persistent(false).build());
                             GoMqClient client = broker.client(); Producer p = client.producer()) {
                            p.publish("a", null, new byte[0], Qos.AT_LEAST_ONCE, false).join();
                        }
                    }
                }
                """);

        assertTrue(c.ok(), "the API is readable: " + c.errors());
    }

    @Test
    void aUserModuleUsingAnEngineClassFailsToCompile() throws Exception {
        Compilation c = compileUserModule("core", """
                public class App {
                    io.gomq.core.message.Message message = io.gomq.core.message.Message.of("a", new byte[0],
                            io.gomq.core.message.Qos.AT_MOST_ONCE, false);
                }
                """);

        assertFalse(c.ok(), "io.gomq.core must not be readable");
        assertTrue(c.errors().contains("package io.gomq.core.message is not visible"), c.errors());
    }

    @Test
    void aUserModuleUsingTheInProcessImplementationFailsToCompile() throws Exception {
        Compilation c = compileUserModule("internal", """
                public class App {
                    io.gomq.embedded.internal.EmbeddedBroker broker;
                }
                """);

        assertFalse(c.ok(), "io.gomq.embedded.internal must not be exported");
        assertTrue(c.errors().contains("package io.gomq.embedded.internal is not visible"), c.errors());
    }

    private static Compilation compileUserModule(String name, String app) throws IOException {
        Path src = Files.createDirectories(work.resolve("src-" + name + "/user.app/app"));
        Files.writeString(src.getParent().resolve("module-info.java"), "module user.app { requires io.gomq.embedded; }");
        Files.writeString(src.resolve("App.java"), "package app;\n" + app);
        return compile(Files.createDirectories(work.resolve("out-" + name)), modulePath, List.of(),
                List.of(src.getParent().resolve("module-info.java"), src.resolve("App.java")));
    }

    private record Compilation(boolean ok, String errors) {
    }

    private static Compilation compile(Path out, List<Path> modules, List<String> options, List<Path> sources) throws IOException {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = JAVAC.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--release", "17", "-proc:none",
                    "--module-path", modules.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator))));
            args.addAll(options);
            boolean ok = JAVAC.getTask(null, files, diagnostics, args, null, files.getJavaFileObjectsFromPaths(sources)).call();
            String errors = diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> d.getMessage(null)).collect(Collectors.joining("\n"));
            return new Compilation(ok, errors);
        }
    }

    private static Path location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** A jar of {@code classes} whose manifest names the module, as the build's jar does (a directory cannot be an automatic module). */
    private static Path asAutomaticModule(Path classes, String name) throws IOException {
        if (!Files.isDirectory(classes)) {
            return classes;
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Automatic-Module-Name"), name);
        Path jar = work.resolve(name + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> all = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) all.filter(f -> f.toString().endsWith(".class"))::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, (OutputStream) out);
                out.closeEntry();
            }
        }
        return jar;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
