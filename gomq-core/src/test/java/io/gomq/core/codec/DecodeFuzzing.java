package io.gomq.core.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The fuzz tests' shared part: byte mutations, and a decode loop that checks the decoder's contract and counts outcomes. */
final class DecodeFuzzing {
    /** How often each failure was seen. */
    final Map<DecodeError, Integer> failures = new EnumMap<>(DecodeError.class);
    /** How many packets were decoded. */
    int packets;

    /**
     * Decodes {@code input} to its end: each packet consumes bytes and goes to {@code roundTrip};
     * NEED_MORE consumes nothing; a failure drains the input. Never an exception.
     */
    void decodeChecked(MqttDecoder decoder, byte[] input, int iteration, Consumer<MqttPacket> roundTrip) {
        ByteBuffer in = ByteBuffer.wrap(input);
        try {
            for (int guard = 0; guard <= input.length; guard++) {
                int before = in.position();
                DecodeResult r = decoder.decode(in);
                if (r instanceof DecodeResult.Decoded d) {
                    assertTrue(in.position() > before, "a packet consumes bytes");
                    packets++;
                    roundTrip.accept(d.packet());
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

    /** One to three random edits: bit flips, byte changes, truncation, insertion, deletion, a new remaining length. */
    static byte[] mutate(byte[] valid, Random random) {
        byte[] b = valid.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) random.nextInt(256);
                case 2 -> b = Arrays.copyOf(b, at); // truncate
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
