package io.gomq.core.log.session;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.log.LogException;
import io.gomq.core.log.RecordCodec;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * Durable persistent-session state: a snapshot file plus a write-ahead log of small deltas
 * (commit an offset, add/remove an in-flight entry, ...), so a frequent offset commit costs
 * one ~40-byte write, not a rewrite of the session. Files under {@code dataDir/sessions}:
 * {@code sessions.snap} and {@code sessions.wal}; format in gomq-core/LOG.md.
 *
 * <p>Each write is one {@code write(2)} of a length- and CRC-framed record, so it survives a
 * kill -9 as soon as the call returns (durability WRITE); FSYNC forces after each update,
 * FSYNC_BATCHED every fsyncIntervalMs. When the WAL passes {@link #WAL_COMPACT_BYTES} (and at
 * every open) the whole state is written as a new snapshot (temp file, force, atomic rename)
 * with the next generation number, and a fresh WAL of that generation replaces the old one.
 * At load, a WAL whose generation differs from the snapshot's is already contained in it and
 * is ignored, so a crash at any point of that switch loses nothing.
 *
 * <p>Thread rules: all methods are synchronized; callers on any thread.
 */
public final class SessionStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
    static final int SNAP_MAGIC = 0x53514D47; // "GMQS"
    static final int WAL_MAGIC = 0x57514D47;  // "GMQW"
    static final long WAL_COMPACT_BYTES = 8L * 1024 * 1024;
    private static final byte OP_PUT = 1;
    private static final byte OP_REMOVE = 2;
    private static final byte OP_COMMIT = 3;
    private static final byte OP_SUBSCRIBE = 4;
    private static final byte OP_UNSUBSCRIBE = 5;
    private static final byte OP_INFLIGHT = 6;
    private static final byte OP_INFLIGHT_DONE = 7;
    private static final byte OP_INBOUND = 8;
    private static final byte OP_INBOUND_DONE = 9;

    private final Path dir;
    private final Durability durability;
    private final Map<String, Mutable> sessions = new LinkedHashMap<>();
    private final RecordCodec codec = new RecordCodec();
    private final CRC32C crc = new CRC32C();
    private FileChannel wal;
    private long walBytes;
    private long generation;
    private boolean dirty;
    private boolean closed;
    private ScheduledExecutorService fsyncer;

    private static final class Mutable {
        final String clientId;
        final Map<String, Qos> subscriptions = new HashMap<>();
        long committed;
        final Map<Integer, InflightEntry> inflight = new HashMap<>();
        final Map<Integer, Message> inbound = new HashMap<>();

        Mutable(String clientId) {
            this.clientId = clientId;
        }

        SessionState freeze() {
            return new SessionState(clientId, subscriptions, committed, inflight, inbound);
        }
    }

    private SessionStore(Path dir, Durability durability) {
        this.dir = dir;
        this.durability = durability;
    }

    /** Opens (and recovers) the store under {@code config.dataDir()/sessions}. */
    public static SessionStore open(BrokerConfig config) {
        SessionStore s = new SessionStore(config.dataDir().resolve("sessions"), config.durability());
        s.load();
        if (config.durability() == Durability.FSYNC_BATCHED) {
            s.fsyncer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "gomq-sessions-fsync");
                t.setDaemon(true);
                return t;
            });
            s.fsyncer.scheduleWithFixedDelay(s::batchedSync, config.fsyncIntervalMs(), config.fsyncIntervalMs(),
                    TimeUnit.MILLISECONDS);
        }
        return s;
    }

    // ------------------------------------------------------------------ API

    /** Every stored session, as recovered at open plus the updates since. */
    public synchronized Map<String, SessionState> loadAll() {
        Map<String, SessionState> out = new LinkedHashMap<>();
        sessions.forEach((k, v) -> out.put(k, v.freeze()));
        return out;
    }

    public synchronized Optional<SessionState> get(String clientId) {
        Mutable m = sessions.get(clientId);
        return m == null ? Optional.empty() : Optional.of(m.freeze());
    }

    /** Replaces the whole state of one session. */
    public synchronized void save(SessionState state) {
        write(out -> {
            out.writeByte(OP_PUT);
            writeState(out, state);
        });
        Mutable m = new Mutable(state.clientId());
        m.subscriptions.putAll(state.subscriptions());
        m.committed = state.committedOffset();
        m.inflight.putAll(state.inflight());
        m.inbound.putAll(state.inbound());
        sessions.put(state.clientId(), m);
    }

    public synchronized void remove(String clientId) {
        if (sessions.remove(clientId) != null) {
            write(out -> {
                out.writeByte(OP_REMOVE);
                writeString(out, clientId);
            });
        }
    }

    public synchronized void commitOffset(String clientId, long offset) {
        write(out -> {
            out.writeByte(OP_COMMIT);
            writeString(out, clientId);
            out.writeLong(offset);
        });
        session(clientId).committed = offset;
    }

    public synchronized void subscribe(String clientId, String filter, Qos qos) {
        write(out -> {
            out.writeByte(OP_SUBSCRIBE);
            writeString(out, clientId);
            writeString(out, filter);
            out.writeByte(qos.value());
        });
        session(clientId).subscriptions.put(filter, qos);
    }

    public synchronized void unsubscribe(String clientId, String filter) {
        write(out -> {
            out.writeByte(OP_UNSUBSCRIBE);
            writeString(out, clientId);
            writeString(out, filter);
        });
        session(clientId).subscriptions.remove(filter);
    }

    /** Adds or updates (SENT -> PUBREL_SENT) an outgoing in-flight entry. */
    public synchronized void putInflight(String clientId, int packetId, long offset, InflightState state) {
        write(out -> {
            out.writeByte(OP_INFLIGHT);
            writeString(out, clientId);
            out.writeShort(packetId);
            out.writeLong(offset);
            out.writeByte(state.ordinal());
        });
        session(clientId).inflight.put(packetId, new InflightEntry(packetId, offset, state));
    }

    /** PUBACK or PUBCOMP received. */
    public synchronized void removeInflight(String clientId, int packetId) {
        write(out -> {
            out.writeByte(OP_INFLIGHT_DONE);
            writeString(out, clientId);
            out.writeShort(packetId);
        });
        session(clientId).inflight.remove(packetId);
    }

    /** An inbound QoS 2 PUBLISH stored before PUBREC is sent. */
    public synchronized void putInbound(String clientId, int packetId, Message message) {
        write(out -> {
            out.writeByte(OP_INBOUND);
            writeString(out, clientId);
            out.writeShort(packetId);
            writeMessage(out, message);
        });
        session(clientId).inbound.put(packetId, message);
    }

    /** PUBREL received: the message is released (the caller has routed it). */
    public synchronized void removeInbound(String clientId, int packetId) {
        write(out -> {
            out.writeByte(OP_INBOUND_DONE);
            writeString(out, clientId);
            out.writeShort(packetId);
        });
        session(clientId).inbound.remove(packetId);
    }

    /** The lowest committed offset of any session (Long.MAX_VALUE if none): the log's compaction floor. */
    public synchronized long minCommittedOffset() {
        long min = Long.MAX_VALUE;
        for (Mutable m : sessions.values()) {
            min = Math.min(min, m.committed);
            for (InflightEntry e : m.inflight.values()) {
                min = Math.min(min, e.offset());
            }
        }
        return min;
    }

    public synchronized int size() {
        return sessions.size();
    }

    private Mutable session(String clientId) {
        return sessions.computeIfAbsent(clientId, Mutable::new);
    }

    // ------------------------------------------------------------------ encoding

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(ByteBuffer in) {
        byte[] b = new byte[in.getInt()];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private void writeMessage(DataOutputStream out, Message m) throws IOException {
        int len = codec.encode(-1, m);
        out.writeInt(len);
        out.write(codec.array(), 0, len);
    }

    private Message readMessage(ByteBuffer in) {
        int len = in.getInt();
        byte[] b = new byte[len];
        in.get(b);
        String bad = codec.validate(b, 0, len);
        if (bad != null) {
            throw new IllegalStateException("stored message invalid: " + bad);
        }
        return RecordCodec.decode(b, 0, null);
    }

    private void writeState(DataOutputStream out, SessionState s) throws IOException {
        writeString(out, s.clientId());
        out.writeLong(s.committedOffset());
        out.writeInt(s.subscriptions().size());
        for (Map.Entry<String, Qos> e : s.subscriptions().entrySet()) {
            writeString(out, e.getKey());
            out.writeByte(e.getValue().value());
        }
        out.writeInt(s.inflight().size());
        for (InflightEntry e : s.inflight().values()) {
            out.writeShort(e.packetId());
            out.writeLong(e.offset());
            out.writeByte(e.state().ordinal());
        }
        out.writeInt(s.inbound().size());
        for (Map.Entry<Integer, Message> e : s.inbound().entrySet()) {
            out.writeShort(e.getKey());
            writeMessage(out, e.getValue());
        }
    }

    private Mutable readState(ByteBuffer in) {
        Mutable m = new Mutable(readString(in));
        m.committed = in.getLong();
        for (int n = in.getInt(); n > 0; n--) {
            m.subscriptions.put(readString(in), Qos.of(in.get()));
        }
        for (int n = in.getInt(); n > 0; n--) {
            int id = Short.toUnsignedInt(in.getShort());
            m.inflight.put(id, new InflightEntry(id, in.getLong(), InflightState.values()[in.get()]));
        }
        for (int n = in.getInt(); n > 0; n--) {
            int id = Short.toUnsignedInt(in.getShort());
            m.inbound.put(id, readMessage(in));
        }
        return m;
    }

    private void apply(ByteBuffer in) {
        byte op = in.get();
        if (op == OP_PUT) {
            Mutable m = readState(in);
            sessions.put(m.clientId, m);
            return;
        }
        String id = readString(in);
        switch (op) {
            case OP_REMOVE -> sessions.remove(id);
            case OP_COMMIT -> session(id).committed = in.getLong();
            case OP_SUBSCRIBE -> {
                String f = readString(in);
                session(id).subscriptions.put(f, Qos.of(in.get()));
            }
            case OP_UNSUBSCRIBE -> session(id).subscriptions.remove(readString(in));
            case OP_INFLIGHT -> {
                int p = Short.toUnsignedInt(in.getShort());
                session(id).inflight.put(p, new InflightEntry(p, in.getLong(), InflightState.values()[in.get()]));
            }
            case OP_INFLIGHT_DONE -> session(id).inflight.remove(Short.toUnsignedInt(in.getShort()));
            case OP_INBOUND -> {
                int p = Short.toUnsignedInt(in.getShort());
                session(id).inbound.put(p, readMessage(in));
            }
            case OP_INBOUND_DONE -> session(id).inbound.remove(Short.toUnsignedInt(in.getShort()));
            default -> throw new IllegalStateException("unknown session op " + op);
        }
    }

    /** Frames a body as int length, int CRC32C(body), body. */
    private byte[] frame(Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0);
            out.writeInt(0);
            body.write(out);
            byte[] b = bytes.toByteArray();
            ByteBuffer bb = ByteBuffer.wrap(b);
            crc.reset();
            crc.update(b, 8, b.length - 8);
            bb.putInt(0, b.length - 8).putInt(4, (int) crc.getValue());
            return b;
        } catch (IOException e) {
            throw new LogException("cannot encode session update", e);
        }
    }

    private void write(Body body) {
        if (closed) {
            throw new LogException("session store " + dir + " is closed");
        }
        byte[] b = frame(body);
        try {
            ByteBuffer bb = ByteBuffer.wrap(b);
            while (bb.hasRemaining()) {
                wal.write(bb);
            }
            walBytes += b.length;
            if (durability == Durability.FSYNC) {
                wal.force(false);
            } else {
                dirty = true;
            }
        } catch (IOException e) {
            throw new LogException("cannot write " + dir.resolve("sessions.wal"), e);
        }
        if (walBytes > WAL_COMPACT_BYTES) {
            snapshot();
        }
    }

    private synchronized void batchedSync() {
        if (dirty && !closed) {
            try {
                wal.force(false);
                dirty = false;
            } catch (IOException e) {
                LOG.error("session store fsync failed", e);
            }
        }
    }

    // ------------------------------------------------------------------ files

    private void load() {
        long t0 = System.nanoTime();
        Path snap = dir.resolve("sessions.snap");
        Path walPath = dir.resolve("sessions.wal");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("sessions.snap.tmp"));
            Files.deleteIfExists(dir.resolve("sessions.wal.tmp"));
            try (var files = Files.list(dir)) {
                files.filter(p -> !p.getFileName().toString().matches("sessions\\.(snap|wal)"))
                        .forEach(p -> LOG.warn("foreign file {} in the session directory: not ours, left untouched", p));
            }
            if (Files.exists(snap)) {
                ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(snap));
                if (b.remaining() < 20 || b.getInt(0) != SNAP_MAGIC) {
                    throw new LogException("session snapshot " + snap + " is not valid");
                }
                crc.reset();
                crc.update(b.array(), 0, b.limit() - 4);
                if ((int) crc.getValue() != b.getInt(b.limit() - 4)) {
                    throw new LogException("session snapshot " + snap + " fails its CRC32C check");
                }
                b.position(4);
                generation = b.getLong();
                int n = b.getInt();
                for (int i = 0; i < n; i++) {
                    int len = b.getInt();
                    ByteBuffer rec = b.slice(b.position(), len);
                    b.position(b.position() + len);
                    Mutable m = readState(rec);
                    sessions.put(m.clientId, m);
                }
            }
            if (Files.exists(walPath)) {
                replayWal(walPath);
            }
        } catch (IOException e) {
            throw new LogException("cannot load sessions from " + dir, e);
        }
        snapshot(); // start every run from a snapshot and an empty WAL: a damaged tail is cut off here
        LOG.info("session store {}: {} sessions loaded in {} ms", dir, sessions.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    private void replayWal(Path walPath) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(walPath));
        if (b.remaining() < 12 || b.getInt(0) != WAL_MAGIC) {
            LOG.warn("session WAL {} has no valid header; ignored", walPath);
            return;
        }
        long gen = b.getLong(4);
        if (gen != generation) {
            LOG.info("session WAL {} (generation {}) is already in snapshot generation {}; ignored", walPath, gen, generation);
            return;
        }
        b.position(12);
        int applied = 0;
        while (b.hasRemaining()) {
            int at = b.position();
            String bad = null;
            if (b.remaining() < 8) {
                bad = "truncated frame header";
            } else {
                int len = b.getInt();
                int sum = b.getInt();
                if (len < 1 || len > b.remaining()) {
                    bad = "truncated or bad record length " + len;
                } else {
                    crc.reset();
                    crc.update(b.array(), b.position(), len);
                    if ((int) crc.getValue() != sum) {
                        bad = "CRC32C mismatch";
                    } else {
                        try {
                            apply(b.slice(b.position(), len));
                        } catch (RuntimeException e) {
                            bad = "undecodable record: " + e.getMessage();
                        }
                        b.position(b.position() + len);
                    }
                }
            }
            if (bad != null) {
                LOG.warn("session WAL {} damaged at position {} ({}); {} updates recovered, the rest ignored",
                        walPath, at, bad, applied);
                return;
            }
            applied++;
        }
    }

    /** Writes the whole state as snapshot generation+1 and starts an empty WAL of that generation. */
    private void snapshot() {
        long gen = generation + 1;
        Path tmp = dir.resolve("sessions.snap.tmp");
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(SNAP_MAGIC);
            out.writeLong(gen);
            out.writeInt(sessions.size());
            for (Mutable m : sessions.values()) {
                ByteArrayOutputStream one = new ByteArrayOutputStream(128);
                writeState(new DataOutputStream(one), m.freeze());
                out.writeInt(one.size());
                one.writeTo(out);
            }
            out.flush();
            byte[] b = bytes.toByteArray();
            crc.reset();
            crc.update(b, 0, b.length);
            byte[] all = ByteBuffer.allocate(b.length + 4).put(b).putInt((int) crc.getValue()).array();
            writeForced(tmp, all);
            Files.move(tmp, dir.resolve("sessions.snap"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDir();
            // from here a crash leaves the old WAL, whose generation no longer matches: ignored
            Path walTmp = dir.resolve("sessions.wal.tmp");
            writeForced(walTmp, ByteBuffer.allocate(12).putInt(WAL_MAGIC).putLong(gen).array());
            if (wal != null) {
                wal.close();
            }
            Files.move(walTmp, dir.resolve("sessions.wal"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDir();
            wal = FileChannel.open(dir.resolve("sessions.wal"), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            walBytes = 12;
            generation = gen;
            dirty = false;
        } catch (IOException e) {
            throw new LogException("cannot write session snapshot in " + dir, e);
        }
    }

    private static void writeForced(Path p, byte[] b) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer bb = ByteBuffer.wrap(b);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            ch.force(true);
        }
    }

    private void forceDir() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // not supported on every file system; the rename itself is atomic
        }
    }

    @Override
    public void close() {
        if (fsyncer != null) {
            fsyncer.shutdown();
            try {
                fsyncer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (durability != Durability.WRITE) {
                    wal.force(false);
                }
                wal.close();
            } catch (IOException e) {
                throw new LogException("cannot close session WAL in " + dir, e);
            }
        }
    }
}
