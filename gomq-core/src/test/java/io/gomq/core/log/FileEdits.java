package io.gomq.core.log;

import java.util.Arrays;

/**
 * Turns a fuzzer's input into damage to a valid file, so the file readers see mostly-valid files
 * (random bytes would never pass the first CRC). Each 4 input bytes are one edit: a 16-bit
 * position scaled over the file, an operation (set the byte, xor it, cut the file there) and a value.
 */
final class FileEdits {
    private FileEdits() {
    }

    static byte[] apply(byte[] file, byte[] edits, int maxEdits) {
        byte[] out = file.clone();
        for (int e = 0; e + 4 <= edits.length && e / 4 < maxEdits; e += 4) {
            int at = (int) (((edits[e] & 0xFF) << 8 | (edits[e + 1] & 0xFF)) * (long) out.length / 65_536);
            int value = edits[e + 3];
            switch ((edits[e + 2] & 0xFF) % 3) {
                case 0 -> out[at] = (byte) value;
                case 1 -> out[at] ^= (byte) value;
                default -> {
                    return Arrays.copyOf(out, at);
                }
            }
        }
        return out;
    }
}
