package io.gomq.core.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gomq.core.testing.FuzzInvariants;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Coverage-guided fuzzing (Jazzer) of the MQTT decoder, 3.1.1 and 5, both roles. The first
 * input byte picks the decoder (bit 0: client side, bit 1: start at level 5); the rest is the
 * byte stream. Contract checked per input: no exception, every packet consumes bytes and
 * survives a re-encode/decode round trip, NEED_MORE consumes nothing, a failure drains the
 * input, and one input allocates a bounded amount whatever its length fields claim.
 * {@code mvn test} replays the committed corpus (MqttDecoderCoverageFuzzTestInputs); {@code -Pfuzz} fuzzes.
 */
class MqttDecoderCoverageFuzzTest {
    /** A large limit, so length fields up to 1 MiB are believed and the allocation bound is what stops them. */
    private static final int LIMIT = 1 << 20;
    private static final long FIXED_ALLOCATION_BYTES = 256 * 1024;

    private final DecodeFuzzing fuzzing = new DecodeFuzzing();

    @FuzzTest(maxDuration = "")
    void decode(byte[] data) {
        if (data.length == 0) {
            return;
        }
        boolean client = (data[0] & 1) != 0;
        int level = (data[0] & 2) != 0 ? Connect.PROTOCOL_LEVEL_5 : Connect.PROTOCOL_LEVEL_311;
        byte[] stream = Arrays.copyOfRange(data, 1, data.length);
        FuzzInvariants.withinAllocation(FIXED_ALLOCATION_BYTES + 32L * data.length, "decoding", () -> {
            MqttDecoder decoder = new MqttDecoder(LIMIT, client ? MqttDecoder.Role.CLIENT : MqttDecoder.Role.SERVER, level);
            fuzzing.decodeChecked(decoder, stream, 0, p -> { });
            return null;
        });
        roundTrip(stream, client, level);
    }

    /** Every packet decoded must come out of the encoder as the same bytes' meaning (re-decoded equal). */
    private static void roundTrip(byte[] stream, boolean client, int level) {
        MqttDecoder decoder = new MqttDecoder(LIMIT, client ? MqttDecoder.Role.CLIENT : MqttDecoder.Role.SERVER, level);
        ByteBuffer in = ByteBuffer.wrap(stream);
        while (decoder.decode(in) instanceof DecodeResult.Decoded d) {
            int at = decoder.protocolLevel();
            ByteBuffer again = MqttEncoder.encode(d.packet(), at);
            MqttDecoder fresh = new MqttDecoder(2 * LIMIT, decoder.role(), at);
            assertEquals(d.packet(), CodecTestSupport.decodeOne(fresh, CodecTestSupport.toArray(again)));
        }
    }
}
