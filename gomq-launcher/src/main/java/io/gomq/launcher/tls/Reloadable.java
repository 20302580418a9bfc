package io.gomq.launcher.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * A TLS context built from {@link TlsFiles} and built again when the files change: new
 * connections get the new one, open connections keep the one they started with. A reload that
 * fails (a half-written file, a key that does not match) keeps the previous context and logs why;
 * the next poll tries again.
 *
 * <p>Thread rules: {@link #current()} from any thread (event loops included: a volatile read);
 * {@link #reloadIfChanged()} from the reload thread only.
 */
public class Reloadable<T> {
    private static final Logger LOG = LoggerFactory.getLogger(Reloadable.class);

    private final String name;
    private final TlsFiles files;
    private final Function<TlsFiles, T> build;
    private volatile T current;
    private String stamp;

    /** @throws TlsException when the files cannot be used at start (the broker does not start) */
    Reloadable(String name, TlsFiles files, Function<TlsFiles, T> build) {
        this.name = name;
        this.files = files;
        this.build = build;
        this.stamp = files.stamp();
        this.current = build.apply(files);
    }

    public final T current() {
        return current;
    }

    public final String name() {
        return name;
    }

    public final TlsFiles files() {
        return files;
    }

    /** Builds the context again when a file changed; returns true when the new one is in use. */
    public final boolean reloadIfChanged() {
        String now = files.stamp();
        if (now.equals(stamp)) {
            return false;
        }
        stamp = now; // a failed reload warns once per change, not at every poll
        try {
            current = build.apply(files);
            LOG.info("{}: TLS certificate reloaded ({})", name, files);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("{}: TLS files changed but cannot be used, keeping the previous certificate: {}", name, e.getMessage());
            return false;
        }
    }
}
