package io.gomq.core.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded fuzzing at MQTT 5: random valid packets must survive encode/decode unchanged, and
 * mutated or random bytes must never make the decoder throw, only end in packets, NEED_MORE or a
 * failure. Seeded and with fixed counts, small enough that the class runs in a few seconds.
 */
class Mqtt5DecoderFuzzTest {
    private static final long SEED = 0x60_4D_51_35L;
    private static final int LIMIT = 4096;

    private final List<MqttPacket> seeds = CodecTestSupport.samplePackets5();
    private final DecodeFuzzing fuzzing = new DecodeFuzzing();

    @Test
    @Timeout(30)
    void shouldRoundTripRandomValidPackets() {
        RandomPackets5 generator = new RandomPackets5(new Random(SEED));
        for (int n = 0; n < 3_000; n++) {
            MqttPacket p = generator.next();
            byte[] raw = CodecTestSupport.encoded5(p);
            assertEquals(MqttEncoder.encodedSize(p, 5), raw.length, () -> "size of " + p);
            assertEquals(p, CodecTestSupport.decodeOne(CodecTestSupport.decoder5For(p), raw), () -> "round trip of " + p);
        }
    }

    @Test
    @Timeout(30)
    void shouldNeverThrowOnMutatedValidMqtt5Packets() {
        Random random = new Random(SEED + 1);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            MqttPacket seed = seeds.get(random.nextInt(seeds.size()));
            byte[] input = DecodeFuzzing.mutate(CodecTestSupport.encoded5(seed), random);
            boolean client = CodecTestSupport.decoder5For(seed).role() == MqttDecoder.Role.CLIENT ^ random.nextInt(8) == 0;
            decodeChecked(input, client, i);
        }
        assertTrue(fuzzing.packets > n / 20, "mutations should still decode often, got " + fuzzing.packets + " of " + n);
        assertTrue(fuzzing.failures.size() >= 15, "mutations should hit most failure reasons, got " + fuzzing.failures);
    }

    @Test
    @Timeout(30)
    void shouldNeverThrowOnRandomBytesAtLevel5() {
        Random random = new Random(SEED + 2);
        for (int i = 0; i < 20_000; i++) {
            byte[] input = new byte[random.nextInt(64)];
            random.nextBytes(input);
            if (input.length > 0 && random.nextBoolean()) {
                input[0] = (byte) (input[0] & 0xF0); // valid flags more often, so bodies get parsed
            }
            decodeChecked(input, random.nextBoolean(), i);
        }
    }

    private void decodeChecked(byte[] input, boolean client, int iteration) {
        MqttDecoder decoder = client ? MqttDecoder.forClient(LIMIT, 5) : new MqttDecoder(LIMIT, MqttDecoder.Role.SERVER, 5);
        fuzzing.decodeChecked(decoder, input, iteration, p -> checkRoundTrip(p, client));
    }

    private static void checkRoundTrip(MqttPacket p, boolean client) {
        byte[] again = CodecTestSupport.encoded5(p);
        MqttDecoder decoder = client ? MqttDecoder.forClient(LIMIT * 2, 5) : new MqttDecoder(LIMIT * 2, MqttDecoder.Role.SERVER, 5);
        assertEquals(p, CodecTestSupport.decodeOne(decoder, again));
    }
}
