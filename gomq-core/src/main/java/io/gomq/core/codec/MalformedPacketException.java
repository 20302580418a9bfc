package io.gomq.core.codec;

/**
 * Internal control flow of the packet readers: thrown deep inside a field read and turned into
 * a {@link DecodeResult.Failure} by {@link MqttDecoder}, never seen outside this package.
 * Without a stack trace, so a flood of bad packets costs no more than good ones.
 */
final class MalformedPacketException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final DecodeError error;

    MalformedPacketException(DecodeError error, String detail) {
        super(detail, null, false, false);
        this.error = error;
    }

    DecodeError error() {
        return error;
    }
}
