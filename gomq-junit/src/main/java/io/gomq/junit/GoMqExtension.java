package io.gomq.junit;

import io.gomq.junit.GoMqTest.Lifecycle;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.net.URI;
import java.util.Optional;

/**
 * The JUnit 5 extension behind {@link GoMqTest} (or {@code @ExtendWith(GoMqExtension.class)},
 * which takes the defaults). It starts the broker before the class or each test, per
 * {@link GoMqTest#lifecycle()}, and resolves these parameters of constructors, lifecycle and
 * test methods:
 * <ul>
 *   <li>{@link GoMqTestBroker}: the broker, its addresses and received messages;</li>
 *   <li>{@code @BrokerUri(Listener.X) URI} or {@code String}, {@code @BrokerPort(Listener.X) int};</li>
 *   <li>a connected client of any type a {@link GoMqClientFactory} makes: Paho's {@code MqttClient}
 *       or {@code IMqttClient}, the in-process {@code Producer} or {@code Consumer}; each parameter
 *       gets its own client, closed after the test (or after the class, for {@code @BeforeAll}).</li>
 * </ul>
 * After the last test the broker is closed (its threads end with it) and its temporary
 * directory deleted; a failure to do either fails the class.
 */
public final class GoMqExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {
    private static final Namespace NAMESPACE = Namespace.create(GoMqExtension.class);

    /** Creates the extension; JUnit does so for {@link GoMqTest}. */
    public GoMqExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        GoMqTest settings = settings(context);
        if (settings.lifecycle() == Lifecycle.PER_CLASS && broker(context).isEmpty()) {
            store(context).put(brokerKey(context), TemporaryBroker.start(settings));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        GoMqTest settings = settings(context);
        if (settings.lifecycle() == Lifecycle.PER_METHOD) {
            store(context).put(brokerKey(context), TemporaryBroker.start(settings));
        }
        broker(context).ifPresent(GoMqTestBroker::beforeTest);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeOwn(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeOwn(context);
    }

    /** Closes the clients opened in this context, then the broker started in it. */
    private static void closeOwn(ExtensionContext context) {
        OpenedClients clients = store(context).remove(clientsKey(context), OpenedClients.class);
        TemporaryBroker broker = store(context).remove(brokerKey(context), TemporaryBroker.class);
        try {
            if (clients != null) {
                clients.close();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (parameter.isAnnotated(BrokerUri.class)) {
            return type == URI.class || type == String.class;
        }
        if (parameter.isAnnotated(BrokerPort.class)) {
            return type == int.class || type == Integer.class;
        }
        return type == GoMqTestBroker.class || ClientFactories.forType(type, parameter.isAnnotated(Remote.class)).isPresent();
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        GoMqTestBroker broker = broker(context).orElseThrow(() -> new ParameterResolutionException(
                "no GoMQ broker runs yet for " + parameter.getParameter() + ": with @GoMqTest(lifecycle = PER_METHOD)"
                        + " the broker starts before each test, after constructors and @BeforeAll methods"));
        Class<?> type = parameter.getParameter().getType();
        Optional<BrokerUri> uri = parameter.findAnnotation(BrokerUri.class);
        if (uri.isPresent()) {
            URI u = broker.uri(uri.get().value());
            return type == String.class ? u.toString() : u;
        }
        Optional<BrokerPort> port = parameter.findAnnotation(BrokerPort.class);
        if (port.isPresent()) {
            return broker.port(port.get().value());
        }
        if (type == GoMqTestBroker.class) {
            return broker;
        }
        GoMqClientFactory factory = ClientFactories.forType(type, parameter.isAnnotated(Remote.class)).orElseThrow();
        return store(context).getOrComputeIfAbsent(clientsKey(context), k -> new OpenedClients(), OpenedClients.class)
                .open(factory, type, broker);
    }

    /** The nearest broker: this context's (per method) or an enclosing one's (per class, outer class). */
    private static Optional<GoMqTestBroker> broker(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            TemporaryBroker b = store(c).get(brokerKey(c), TemporaryBroker.class);
            if (b != null) {
                return Optional.of(b.broker());
            }
        }
        return Optional.empty();
    }

    /** The class's (or an enclosing class's) {@link GoMqTest}; the defaults for a bare {@code @ExtendWith}. */
    private static GoMqTest settings(ExtensionContext context) {
        for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
            Optional<GoMqTest> found = AnnotationSupport.findAnnotation(c, GoMqTest.class);
            if (found.isPresent()) {
                return found.get();
            }
        }
        return Defaults.class.getAnnotation(GoMqTest.class);
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getStore(NAMESPACE);
    }

    /** Keys carry the context's id: a store also answers with its parents' values, these must not. */
    private static String brokerKey(ExtensionContext context) {
        return "broker:" + context.getUniqueId();
    }

    private static String clientsKey(ExtensionContext context) {
        return "clients:" + context.getUniqueId();
    }

    @GoMqTest
    private static final class Defaults {
    }
}
