package io.gomq.embedded.boundary;

import io.gomq.client.Qos;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.embedded.GoMqBroker;
import io.gomq.testing.ModuleCompiler;
import io.gomq.testing.ModuleCompiler.Compilation;
import org.jctools.queues.MpscArrayQueue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.gomq.testing.ModuleCompiler.location;
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
    @TempDir
    static Path work;
    private static List<Path> modulePath;

    @BeforeAll
    static void compileTheEmbeddedModule() throws Exception {
        Path core = ModuleCompiler.asAutomaticModule(location(BrokerEngine.class), "io.gomq.core", work);
        List<Path> dependencies = List.of(location(Qos.class), core, location(MpscArrayQueue.class), location(Logger.class));
        modulePath = new ArrayList<>(dependencies);
        modulePath.add(0, ModuleCompiler.compileDescriptor(work, "io.gomq.embedded", location(GoMqBroker.class), dependencies,
                Path.of("src/main/jpms/module-info.java")));
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

    @Test
    void aUserModuleUsingTheImplementationsSharedPartsFailsToCompile() throws Exception {
        Compilation c = compileUserModule("spi", """
                public abstract class App extends io.gomq.client.spi.ConsumerBase {
                }
                """);

        assertFalse(c.ok(), "io.gomq.client.spi is exported to the implementations only");
        assertTrue(c.errors().contains("io.gomq.client.spi"), c.errors());
    }

    private static Compilation compileUserModule(String name, String app) throws Exception {
        return ModuleCompiler.compileUserModule(work, name, "io.gomq.embedded", modulePath, app);
    }
}
