package io.gomq.core.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded fuzzing at MQTT 5: random valid packets must survive encode/decode unchanged, and
 * mutated or random bytes must never make the decoder throw, only end in packets, NEED_MORE or a
 * failure. Each loop stops at its count or after about a second, so the suite stays fast.
 */
class Mqtt5DecoderFuzzTest {
    private static final long SEED = 0x60_4D_51_35L;
    private static final int LIMIT = 4096;
    private static final long BUDGET_NANOS = 1_000_000_000L;

    private final List<MqttPacket> seeds = CodecTestSupport.samplePackets5();
    private final Map<DecodeError, Integer> failures = new EnumMap<>(DecodeError.class);
    private int packets;

    @Test
    @Timeout(30)
    void shouldRoundTripRandomValidPackets() {
        RandomPackets5 generator = new RandomPackets5(new Random(SEED));
        long end = System.nanoTime() + BUDGET_NANOS;
        int n = 0;
        for (; n < 50_000 && System.nanoTime() < end; n++) {
            MqttPacket p = generator.next();
            byte[] raw = CodecTestSupport.encoded5(p);
            assertEquals(MqttEncoder.encodedSize(p, 5), raw.length, () -> "size of " + p);
            assertEquals(p, CodecTestSupport.decodeOne(CodecTestSupport.decoder5For(p), raw), () -> "round trip of " + p);
        }
        assertTrue(n >= 1_000, "too few iterations to mean anything: " + n);
    }

    @Test
    @Timeout(30)
    void shouldNeverThrowOnMutatedValidMqtt5Packets() {
        Random random = new Random(SEED + 1);
        long end = System.nanoTime() + BUDGET_NANOS;
        int n = 0;
        for (; n < 200_000 && System.nanoTime() < end; n++) {
            MqttPacket seed = seeds.get(random.nextInt(seeds.size()));
            byte[] input = mutate(CodecTestSupport.encoded5(seed), random);
            boolean client = CodecTestSupport.decoder5For(seed).role() == MqttDecoder.Role.CLIENT ^ random.nextInt(8) == 0;
            decodeChecked(input, client, n);
        }
        assertTrue(n >= 5_000, "too few iterations: " + n);
        assertTrue(packets > n / 20, "mutations should still decode often, got " + packets + " of " + n);
        assertTrue(failures.size() >= 15, "mutations should hit most failure reasons, got " + failures);
    }

    @Test
    @Timeout(30)
    void shouldNeverThrowOnRandomBytesAtLevel5() {
        Random random = new Random(SEED + 2);
        long end = System.nanoTime() + BUDGET_NANOS;
        for (int i = 0; i < 50_000 && System.nanoTime() < end; i++) {
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
        ByteBuffer in = ByteBuffer.wrap(input);
        try {
            for (int guard = 0; guard <= input.length; guard++) {
                int before = in.position();
                DecodeResult r = decoder.decode(in);
                if (r instanceof DecodeResult.Decoded d) {
                    assertTrue(in.position() > before, "a packet consumes bytes");
                    packets++;
                    checkRoundTrip(d.packet(), client);
                } else if (r instanceof DecodeResult.Failure f) {
                    failures.merge(f.error(), 1, Integer::sum);
                    assertEquals(in.limit(), in.position());
                    return;
                } else {
                    assertEquals(before, in.position(), "NEED_MORE consumes nothing");
                    return;
                }
            }
            fail("decoder did not make progress");
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("iteration " + iteration + " input " + HexFormat.of().formatHex(input), e);
        }
    }

    private static void checkRoundTrip(MqttPacket p, boolean client) {
        byte[] again = CodecTestSupport.encoded5(p);
        MqttDecoder decoder = client ? MqttDecoder.forClient(LIMIT * 2, 5) : new MqttDecoder(LIMIT * 2, MqttDecoder.Role.SERVER, 5);
        assertEquals(p, CodecTestSupport.decodeOne(decoder, again));
    }

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] b = valid.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) random.nextInt(256);
                case 2 -> b = java.util.Arrays.copyOf(b, at); // truncate
                case 3 -> b = splice(b, at, new byte[] {(byte) random.nextInt(256)}, 0); // insert
                case 4 -> b = splice(b, at, new byte[0], 1); // delete
                default -> b[Math.min(1, b.length - 1)] = (byte) random.nextInt(256); // remaining length
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, byte[] insert, int delete) {
        byte[] out = new byte[b.length - delete + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + delete, out, at + insert.length, b.length - at - delete);
        return out;
    }
}
