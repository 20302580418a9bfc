package io.gomq.core.log;

/**
 * The log refused a write because the data directory's free space is below the reserve
 * ({@link DiskSpace}): nothing of it was stored, so nothing may be acknowledged. Writes succeed
 * again by themselves once space returns; callers hold the write (MQTT: no PUBACK, the publisher
 * paced) or answer "no space" (HTTP 507).
 */
public final class DiskFullException extends LogException {
    private static final long serialVersionUID = 1L;

    public DiskFullException(String message) {
        super(message);
    }
}
