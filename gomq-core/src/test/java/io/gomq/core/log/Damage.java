package io.gomq.core.log;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/** The ways a power loss or a bad disk damages a file, applied at a byte position. */
enum Damage {
    /** The file ends at the position (a lost tail). */
    TRUNCATE {
        @Override
        void apply(Path file, long at, long dataEnd) throws IOException {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(at);
            }
        }
    },
    /** The 4 KiB page holding the position reads back as zeros (a page that never reached the disk). */
    ZERO_PAGE {
        @Override
        void apply(Path file, long at, long dataEnd) throws IOException {
            write(file, at & ~4095L, new byte[4096]);
        }

        @Override
        long start(long at) {
            return at & ~4095L;
        }
    },
    /** Four bytes at the position have their bits flipped (a bad sector, a bit rot). */
    FLIP {
        @Override
        void apply(Path file, long at, long dataEnd) throws IOException {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                byte[] b = new byte[4];
                f.seek(at);
                int n = Math.max(0, f.read(b));
                for (int i = 0; i < n; i++) {
                    b[i] ^= (byte) 0xFF;
                }
                f.seek(at);
                f.write(b, 0, n);
            }
        }
    },
    /** Everything from the position to the end of the written data is zeros (a write cut short). */
    TORN_TAIL {
        @Override
        void apply(Path file, long at, long dataEnd) throws IOException {
            write(file, at, new byte[(int) Math.max(0, dataEnd - at)]);
        }
    };

    abstract void apply(Path file, long at, long dataEnd) throws IOException;

    /** The first byte the damage changes. */
    long start(long at) {
        return at;
    }

    private static void write(Path file, long at, byte[] bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long len = Math.min(bytes.length, Math.max(0, f.length() - at));
            f.seek(at);
            f.write(bytes, 0, (int) len);
        }
    }
}
