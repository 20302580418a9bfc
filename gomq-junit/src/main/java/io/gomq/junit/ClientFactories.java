package io.gomq.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The client factories in reach: the built-in ones whose library is present, then the plugged-in ones. */
final class ClientFactories {
    private static final List<GoMqClientFactory> FACTORIES = load();

    private ClientFactories() {
    }

    /** The first factory for {@code type} whose clients go over the network ({@code remote}) or not. */
    static Optional<GoMqClientFactory> forType(Class<?> type, boolean remote) {
        return FACTORIES.stream().filter(f -> f.remote() == remote && f.supports(type)).findFirst();
    }

    private static List<GoMqClientFactory> load() {
        List<GoMqClientFactory> all = new ArrayList<>();
        all.add(new EmbeddedClientFactory());
        if (present(PahoClientFactory.PAHO_CLASS)) {
            all.add(new PahoClientFactory());
        }
        ServiceLoader.load(GoMqClientFactory.class, ClientFactories.class.getClassLoader()).forEach(all::add);
        return List.copyOf(all);
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, ClientFactories.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
