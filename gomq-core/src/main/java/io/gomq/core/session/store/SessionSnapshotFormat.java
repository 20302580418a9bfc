package io.gomq.core.session.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * The bytes of {@code sessions.snap} (layout in gomq-core/LOG.md, "Session store"). Version 3
 * is written: a header with its own CRC32C, then per session a length, a CRC32C and the
 * session's client id and {@link SessionStateCodec} state, then a CRC32C of the whole file.
 * Versions 1 and 2 (unversioned states) are still read.
 *
 * <p>Thread rules: stateless; any thread.
 */
final class SessionSnapshotFormat {
    /** Version 1: one CRC32C over the whole file, unversioned states. */
    static final int MAGIC_V1 = 0x53514D47; // "GMQS"
    /** Version 2: a CRC32C over the header and one per session (unversioned states). */
    static final int MAGIC_V2 = 0x32514D47; // "GMQ2"
    /** Version 3: as version 2, each session a client id and a {@link SessionStateCodec} state. */
    static final int MAGIC_V3 = 0x33514D47; // "GMQ3"
    /** {@code int magic, long generation, int count, int CRC32C} of versions 2 and 3. */
    static final int HEADER_BYTES = 20;

    private SessionSnapshotFormat() {
    }

    /**
     * What reading a snapshot gave: its generation (-1 when its header is unreadable, so no WAL
     * can be matched to it) and, for a damaged file, where and why it stopped.
     */
    record Read(long generation, long damagedAt, String damage) {
        boolean damaged() {
            return damage != null;
        }
    }

    /**
     * Reads the snapshot {@code snap} into {@code sessions}. A damaged version 2 or 3 file yields
     * every session before the damage (each has its own CRC32C); a damaged version 1 file (one
     * CRC32C for all) yields none.
     */
    static Read read(Path snap, Map<String, MutableSession> sessions) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(snap));
        int magic = b.remaining() >= 4 ? b.getInt(0) : 0;
        if (magic == MAGIC_V1) {
            return readV1(b, sessions);
        }
        if (b.remaining() < HEADER_BYTES + 4 || (magic != MAGIC_V2 && magic != MAGIC_V3)) {
            return new Read(-1, 0, "not a session snapshot (bad magic or shorter than its header)");
        }
        Function<ByteBuffer, MutableSession> state = magic == MAGIC_V3
                ? in -> MutableSession.of(SessionStateCodec.decodeWithId(in))
                : SessionStateCodec::decodeUnversioned;
        if (crc(b, 0, HEADER_BYTES - 4) != b.getInt(HEADER_BYTES - 4)) {
            return new Read(-1, 0, "header fails its CRC32C check");
        }
        long generation = b.getLong(4);
        int n = b.getInt(12);
        int end = b.limit() - 4;
        int at = HEADER_BYTES;
        for (int i = 0; i < n; i++) {
            if (at + 8 > end) {
                return new Read(generation, at, "truncated: " + i + " of " + n + " sessions present");
            }
            int len = b.getInt(at);
            if (len < 0 || len > b.limit() - at - 8) { // limit, not end: a truncated file has no CRC at its end
                return new Read(generation, at, "bad session length " + len);
            }
            if (crc(b, at + 8, len) != b.getInt(at + 4)) {
                return new Read(generation, at, "session " + i + " fails its CRC32C check");
            }
            try {
                MutableSession m = state.apply(b.slice(at + 8, len));
                sessions.put(m.clientId, m);
            } catch (RuntimeException e) {
                return new Read(generation, at, "session " + i + " undecodable: " + e);
            }
            at += 8 + len;
        }
        if (at != end || crc(b, 0, end) != b.getInt(end)) {
            return new Read(generation, at, "trailing bytes or file CRC32C mismatch after all " + n + " sessions");
        }
        return new Read(generation, -1, null);
    }

    private static Read readV1(ByteBuffer b, Map<String, MutableSession> sessions) {
        if (b.remaining() < 20 || crc(b, 0, b.limit() - 4) != b.getInt(b.limit() - 4)) {
            return new Read(-1, 0, "version 1 snapshot fails its CRC32C check (no per-session checks to keep a part)");
        }
        b.position(4);
        long generation = b.getLong();
        int n = b.getInt();
        try {
            for (int i = 0; i < n; i++) {
                int len = b.getInt();
                ByteBuffer rec = b.slice(b.position(), len);
                b.position(b.position() + len);
                MutableSession m = SessionStateCodec.decodeUnversioned(rec);
                sessions.put(m.clientId, m);
            }
        } catch (RuntimeException e) {
            return new Read(-1, b.position(), "version 1 snapshot undecodable: " + e);
        }
        return new Read(generation, -1, null);
    }

    /** The whole snapshot file (version 3) of {@code generation} holding {@code sessions}. */
    static byte[] write(long generation, Collection<SessionState> sessions) throws IOException {
        CRC32C crc = new CRC32C();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        DataOutputStream out = new DataOutputStream(bytes);
        byte[] header = ByteBuffer.allocate(HEADER_BYTES - 4).putInt(MAGIC_V3).putLong(generation)
                .putInt(sessions.size()).array();
        out.write(header);
        crc.update(header);
        out.writeInt((int) crc.getValue());
        for (SessionState s : sessions) {
            ByteArrayOutputStream one = new ByteArrayOutputStream(128);
            SessionStateCodec.writeWithId(new DataOutputStream(one), s);
            byte[] state = one.toByteArray();
            crc.reset();
            crc.update(state);
            out.writeInt(state.length);
            out.writeInt((int) crc.getValue());
            out.write(state);
        }
        out.flush();
        byte[] b = bytes.toByteArray();
        crc.reset();
        crc.update(b, 0, b.length);
        return ByteBuffer.allocate(b.length + 4).put(b).putInt((int) crc.getValue()).array();
    }

    private static int crc(ByteBuffer b, int from, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b.array(), from, len);
        return (int) crc.getValue();
    }
}
