package io.gomq.core.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random corruption: decoding must never throw, and must end each input in a packet
 * stream followed by NEED_MORE or a failure. Every packet it does accept must survive a
 * re-encode/decode round trip, which catches records built from half-validated fields.
 */
class MqttDecoderFuzzTest {
    private static final long SEED = 0x60_4D_51_4AL;
    private static final int LIMIT = 4096;

    private final List<MqttPacket> seeds = CodecTestSupport.samplePackets();
    private final DecodeFuzzing fuzzing = new DecodeFuzzing();

    @Test
    @Timeout(60)
    void shouldNeverThrowOnMutatedValidPackets() {
        Random random = new Random(SEED);
        for (int i = 0; i < 200_000; i++) {
            MqttPacket seed = seeds.get(random.nextInt(seeds.size()));
            byte[] input = DecodeFuzzing.mutate(CodecTestSupport.encoded(seed), random);
            boolean server = seed.type().sentByClient() ^ random.nextInt(8) == 0; // mostly the right side
            decodeChecked(input, server, i);
        }
        assertTrue(fuzzing.packets > 10_000, "mutations should still decode often, got " + fuzzing.packets);
        assertTrue(fuzzing.failures.size() >= 12, "mutations should hit most failure reasons, got " + fuzzing.failures);
    }

    @Test
    @Timeout(60)
    void shouldNeverThrowOnRandomBytes() {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < 50_000; i++) {
            byte[] input = new byte[random.nextInt(64)];
            random.nextBytes(input);
            decodeChecked(input, random.nextBoolean(), i);
        }
    }

    private void decodeChecked(byte[] input, boolean server, int iteration) {
        MqttDecoder decoder = server ? new MqttDecoder(LIMIT) : MqttDecoder.forClient(LIMIT);
        fuzzing.decodeChecked(decoder, input, iteration, MqttDecoderFuzzTest::checkRoundTrip);
    }

    private static void checkRoundTrip(MqttPacket p) {
        byte[] again = CodecTestSupport.encoded(p);
        assertEquals(p, CodecTestSupport.decodeOne(CodecTestSupport.decoderFor(p), again));
    }
}
