package io.gomq.remote.boundary;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.gomq.client.Qos;
import io.gomq.junit.GoMqTestBroker;
import io.gomq.remote.RemoteClient;
import io.gomq.testing.ModuleCompiler;
import io.gomq.testing.ModuleCompiler.Compilation;
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
 * The module boundary of {@code io.gomq.remote}: a module that requires it compiles against the
 * API ({@code io.gomq.client}, {@code io.gomq.remote}) and fails to compile against the network
 * implementation ({@code io.gomq.remote.internal}), the JUnit support package or the MQTT client
 * underneath. It compiles the real descriptor (src/main/jpms/module-info.java, which the build
 * puts into the jar) over the compiled classes, then a small user module against it, with javac.
 */
@Timeout(120)
class ModuleBoundaryTest {
    @TempDir
    static Path work;
    private static List<Path> modulePath;

    @BeforeAll
    static void compileTheRemoteModule() throws Exception {
        List<Path> dependencies = List.of(location(Qos.class), location(Mqtt5Client.class), location(ObjectMapper.class),
                location(JsonFactory.class), location(JsonProperty.class), location(Logger.class),
                ModuleCompiler.asAutomaticModule(location(GoMqTestBroker.class), "io.gomq.junit", work));
        modulePath = new ArrayList<>(dependencies);
        modulePath.add(0, ModuleCompiler.compileDescriptor(work, "io.gomq.remote", location(RemoteClient.class), dependencies,
                Path.of("src/main/jpms/module-info.java")));
    }

    @Test
    void aUserModuleCompilesAgainstTheApi() throws Exception {
        Compilation c = compileUserModule("api", """
                import io.gomq.client.GoMqClient;
                import io.gomq.client.NotConnectedException;
                import io.gomq.remote.RemoteClient;
                import io.gomq.remote.RemoteClientConfig;
                public class App {
                    public static void main(String[] args) {
                        try (GoMqClient client = RemoteClient.connect(RemoteClientConfig.builder().servers(args[0]).build())) {
                            client.producer().publish("a", "hello").join();
                        } catch (NotConnectedException e) {
                            System.err.println(e.getMessage());
                        }
                    }
                }
                """);

        assertTrue(c.ok(), "the API is readable: " + c.errors());
    }

    @Test
    void aUserModuleUsingTheNetworkImplementationFailsToCompile() throws Exception {
        Compilation c = compileUserModule("internal", """
                public class App {
                    io.gomq.remote.internal.NetworkClient client;
                }
                """);

        assertFalse(c.ok(), "io.gomq.remote.internal must not be exported");
        assertTrue(c.errors().contains("package io.gomq.remote.internal is not visible"), c.errors());
    }

    @Test
    void aUserModuleUsingTheJUnitSupportOrTheMqttClientUnderneathFailsToCompile() throws Exception {
        Compilation c = compileUserModule("junit", """
                public class App {
                    io.gomq.remote.junit.RemoteClientFactory factory;
                    com.hivemq.client.mqtt.mqtt5.Mqtt5Client mqtt;
                }
                """);

        assertFalse(c.ok());
        assertTrue(c.errors().contains("package io.gomq.remote.junit is not visible"), c.errors());
        assertTrue(c.errors().contains("package com.hivemq.client.mqtt.mqtt5 is not visible"), c.errors());
    }

    private static Compilation compileUserModule(String name, String app) throws Exception {
        return ModuleCompiler.compileUserModule(work, name, "io.gomq.remote", modulePath, app);
    }
}
