package io.gomq.core.codec;

import java.util.Objects;

/**
 * What {@link MqttDecoder#decode} found: a packet, {@link #NEED_MORE}, or a failure. Sealed so
 * callers can test with {@code instanceof DecodeResult.Decoded d}; the default methods serve
 * callers that prefer plain checks.
 */
public sealed interface DecodeResult permits DecodeResult.Decoded, DecodeResult.NeedMore, DecodeResult.Failure {

    /** Not a whole packet yet; nothing was consumed. */
    DecodeResult NEED_MORE = NeedMore.INSTANCE;

    default boolean isPacket() {
        return this instanceof Decoded;
    }

    default boolean isNeedMore() {
        return this == NEED_MORE;
    }

    default boolean isFailure() {
        return this instanceof Failure;
    }

    /** The packet, or null unless {@link #isPacket()}. */
    default MqttPacket packet() {
        return this instanceof Decoded d ? d.packet : null;
    }

    /** The failure reason, or null unless {@link #isFailure()}. */
    default DecodeError error() {
        return this instanceof Failure f ? f.error : null;
    }

    /** One whole packet, consumed from the buffer. */
    record Decoded(MqttPacket packet) implements DecodeResult {
        public Decoded {
            Objects.requireNonNull(packet, "packet");
        }
    }

    /** Singleton behind {@link #NEED_MORE}. */
    enum NeedMore implements DecodeResult {
        INSTANCE;

        @Override
        public String toString() {
            return "NEED_MORE";
        }
    }

    /** A malformed packet: {@code error} for counters, {@code detail} for logs. The decoder is now BAD. */
    record Failure(DecodeError error, String detail) implements DecodeResult {
        public Failure {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
