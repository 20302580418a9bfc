package io.gomq.launcher.transport;

/**
 * The transport's own timings and limits (the engine's live in {@code BrokerConfig}).
 *
 * @param connectTimeoutMs    a connection that sends no CONNECT within this time is closed
 * @param writeLowWaterBytes  a channel becomes writable again below this many pending bytes
 * @param writeHighWaterBytes a channel stops taking deliveries above this many pending bytes
 * @param drainBudget         deliveries moved per drain run before yielding the event loop
 * @param ioThreads           event loop threads; 0 = one per two cores
 * @param ioSpinMicros        how long an event loop polls on after its last work before it sleeps;
 *                            {@link #IO_SPIN_AUTO}: {@link #IO_SPIN_MICROS} when the process has cores of its own, else 0
 * @param authThreads         threads that check passwords (PBKDF2), off the event loops
 * @param shutdownTimeoutMs   how long close() waits for each part
 */
public record TransportOptions(long connectTimeoutMs, int writeLowWaterBytes, int writeHighWaterBytes,
                               int drainBudget, int ioThreads, long ioSpinMicros, int authThreads,
                               long shutdownTimeoutMs) {

    public static final long CONNECT_TIMEOUT_MS = 10_000;
    public static final int WRITE_LOW_WATER_BYTES = 32 * 1024;
    public static final int WRITE_HIGH_WATER_BYTES = 64 * 1024;
    public static final int DRAIN_BUDGET = 256;
    public static final long IO_SPIN_MICROS = 200;
    public static final long IO_SPIN_AUTO = -1;
    public static final int AUTH_THREADS = 2;
    public static final long SHUTDOWN_TIMEOUT_MS = 3_000;

    public TransportOptions {
        if (connectTimeoutMs <= 0) {
            throw new IllegalArgumentException("connectTimeoutMs must be > 0, was " + connectTimeoutMs);
        }
        if (writeLowWaterBytes <= 0 || writeHighWaterBytes < writeLowWaterBytes) {
            throw new IllegalArgumentException("need 0 < writeLowWaterBytes <= writeHighWaterBytes");
        }
        if (drainBudget <= 0 || ioThreads < 0 || ioSpinMicros < IO_SPIN_AUTO || authThreads <= 0 || shutdownTimeoutMs <= 0) {
            throw new IllegalArgumentException("drainBudget, authThreads and shutdownTimeoutMs must be > 0, ioThreads >= 0, ioSpinMicros >= -1 (auto)");
        }
    }

    public static TransportOptions defaults() {
        return new TransportOptions(CONNECT_TIMEOUT_MS, WRITE_LOW_WATER_BYTES, WRITE_HIGH_WATER_BYTES,
                DRAIN_BUDGET, 0, IO_SPIN_AUTO, AUTH_THREADS, SHUTDOWN_TIMEOUT_MS);
    }

    public TransportOptions connectTimeoutMs(long v) {
        return new TransportOptions(v, writeLowWaterBytes, writeHighWaterBytes, drainBudget, ioThreads, ioSpinMicros,
                authThreads, shutdownTimeoutMs);
    }

    public TransportOptions ioThreads(int v) {
        return new TransportOptions(connectTimeoutMs, writeLowWaterBytes, writeHighWaterBytes, drainBudget, v, ioSpinMicros,
                authThreads, shutdownTimeoutMs);
    }

    public TransportOptions ioSpinMicros(long v) {
        return new TransportOptions(connectTimeoutMs, writeLowWaterBytes, writeHighWaterBytes, drainBudget, ioThreads, v,
                authThreads, shutdownTimeoutMs);
    }

    /** The spin window the event loops use, microseconds: the setting, or under auto what the cores allow. */
    public long effectiveIoSpinMicros() {
        if (ioSpinMicros != IO_SPIN_AUTO) {
            return ioSpinMicros;
        }
        return CoreAffinity.confined() ? IO_SPIN_MICROS : 0;
    }
}
