package io.gomq.core.time;

/** {@link System#currentTimeMillis()} and {@link System#nanoTime()}. */
enum SystemClock implements BrokerClock {
    INSTANCE;

    @Override
    public long millis() {
        return System.currentTimeMillis();
    }

    @Override
    public long nanos() {
        return System.nanoTime();
    }
}
