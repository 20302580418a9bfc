package io.gomq.core.session;

/** MQTT 3.1.1 3.1.2.10: a client silent for 1.5 x its keep-alive is disconnected. The transport measures time. */
public final class KeepAlive {
    private KeepAlive() {
    }

    /** Milliseconds of silence after which the connection is closed; 0 = never (keep-alive 0 disables it). */
    public static long timeoutMillis(int keepAliveSeconds) {
        return keepAliveSeconds <= 0 ? 0 : keepAliveSeconds * 1500L;
    }

    public static boolean expired(int keepAliveSeconds, long silentMillis) {
        long limit = timeoutMillis(keepAliveSeconds);
        return limit > 0 && silentMillis > limit;
    }
}
