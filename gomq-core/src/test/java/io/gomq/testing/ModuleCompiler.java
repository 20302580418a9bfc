package io.gomq.testing;

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

/**
 * javac on a module path, for the tests that prove a module boundary: compile a module's real
 * descriptor over its compiled classes, then a small user module against the result, and read
 * the errors.
 */
public final class ModuleCompiler {
    private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

    private ModuleCompiler() {
    }

    /** Whether it compiled, and the errors' messages (one a line). */
    public record Compilation(boolean ok, String errors) {
    }

    /** Compiles {@code sources} into {@code out} with {@code modules} as the module path. */
    public static Compilation compile(Path out, List<Path> modules, List<String> options, List<Path> sources) throws IOException {
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

    /**
     * Compiles a module {@code user.app} that requires {@code required} and holds {@code app}
     * (the body of {@code app/App.java} after its package line), under {@code work/NAME}.
     */
    public static Compilation compileUserModule(Path work, String name, String required, List<Path> modulePath, String app)
            throws IOException {
        Path src = Files.createDirectories(work.resolve("src-" + name + "/user.app/app"));
        Files.writeString(src.getParent().resolve("module-info.java"), "module user.app { requires " + required + "; }");
        Files.writeString(src.resolve("App.java"), "package app;\n" + app);
        return compile(Files.createDirectories(work.resolve("out-" + name)), modulePath, List.of(),
                List.of(src.getParent().resolve("module-info.java"), src.resolve("App.java")));
    }

    /** {@return the jar or classes directory {@code type} was loaded from} */
    public static Path location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /**
     * A jar of {@code classes} whose manifest names the module, as the build's jar does (a
     * directory cannot be an automatic module); a jar is returned as it is.
     */
    public static Path asAutomaticModule(Path classes, String name, Path work) throws IOException {
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

    /**
     * Compiles a module's descriptor ({@code descriptor}, e.g. src/main/jpms/module-info.java)
     * over its compiled {@code classes} into {@code work/MODULE}.
     *
     * @return the module's directory, to put on a user module's path
     */
    public static Path compileDescriptor(Path work, String module, Path classes, List<Path> dependencies, Path descriptor)
            throws IOException {
        Path out = work.resolve(module);
        try (Stream<Path> all = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = out.resolve(classes.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Compilation c = compile(out, dependencies, List.of("--patch-module", module + "=" + classes), List.of(descriptor));
        if (!c.ok()) {
            throw new AssertionError("the module descriptor " + descriptor + " does not compile: " + c.errors());
        }
        return out;
    }
}
