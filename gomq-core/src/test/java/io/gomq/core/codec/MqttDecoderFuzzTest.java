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
 * Seeded random corruption: decoding must never throw, and must end each input in a packet
 * stream followed by NEED_MORE or a failure. Every packet it does accept must survive a
 * re-encode/decode round trip, which catches records built from half-validated fields.
 */
class MqttDecoderFuzzTest {
    private static final long SEED = 0x60_4D_51_4AL;
    private static final int LIMIT = 4096;

    private final List<MqttPacket> seeds = CodecTestSupport.samplePackets();
    private final Map<DecodeError, Integer> failures = new EnumMap<>(DecodeError.class);
    private int packets;

    @Test
    @Timeout(60)
    void shouldNeverThrowOnMutatedValidPackets() {
        Random random = new Random(SEED);
        for (int i = 0; i < 200_000; i++) {
            MqttPacket seed = seeds.get(random.nextInt(seeds.size()));
            byte[] input = mutate(CodecTestSupport.encoded(seed), random);
            boolean server = seed.type().sentByClient() ^ random.nextInt(8) == 0; // mostly the right side
            decodeChecked(input, server, i);
        }
        assertTrue(packets > 10_000, "mutations should still decode often, got " + packets);
        assertTrue(failures.size() >= 12, "mutations should hit most failure reasons, got " + failures);
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
        ByteBuffer in = ByteBuffer.wrap(input);
        try {
            for (int guard = 0; guard <= input.length; guard++) {
                int before = in.position();
                DecodeResult r = decoder.decode(in);
                if (r instanceof DecodeResult.Decoded d) {
                    assertTrue(in.position() > before, "a packet consumes bytes");
                    packets++;
                    checkRoundTrip(d.packet());
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

    private static void checkRoundTrip(MqttPacket p) {
        byte[] again = CodecTestSupport.encoded(p);
        assertEquals(p, CodecTestSupport.decodeOne(CodecTestSupport.decoderFor(p), again));
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
