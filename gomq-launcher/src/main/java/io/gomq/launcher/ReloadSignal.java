package io.gomq.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP reloads what can change while the broker runs (the ACL file), as Mosquitto does.
 * The handler only hands the work to the reloader's own thread.
 */
final class ReloadSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {
    }

    /** Installs the handler; logs and goes on where the platform has no SIGHUP (Windows). */
    static void install(Runnable reload) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                LOG.info("SIGHUP: reloading the ACL");
                reload.run();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.debug("no SIGHUP on this platform: {}", e.getMessage());
        }
    }
}
