package io.gomq.core.log;

import io.gomq.core.config.Durability;
import io.gomq.core.message.Message;
import io.gomq.testing.TestPacer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log's single writer on a real log. Most tests drive a second writer with a small queue
 * whose thread is not started: the test calls {@link LogWriter#doWork()} itself, so what one
 * batch holds is exactly what was offered before it.
 */
@Timeout(60)
class LogWriterTest {
    @TempDir
    Path dir;
    private ChronicleMessageLog log;

    /** Records, in the order the writer acted on them, the offsets it stored. */
    private static final class Recorded extends LogAppend {
        private final List<Long> order;

        Recorded(Message m, List<Long> order) {
            super(m);
            this.order = order;
        }

        @Override
        protected void onStored(Message stored) {
            assertEquals(offset(), stored.offset(), "the offset is known before onStored");
            order.add(stored.offset());
        }
    }

    private ChronicleMessageLog open(Durability durability) {
        log = ChronicleMessageLog.open(LogTestSupport.config(dir).durability(durability));
        return log;
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    private static List<Recorded> offer(LogWriter w, int n, List<Long> order) {
        List<Recorded> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Recorded r = new Recorded(LogTestSupport.msg("t/" + (i % 3), "m" + i), order);
            w.offer(r, null);
            out.add(r);
        }
        return out;
    }

    @Test
    void oneBatchWritesEverythingQueuedAndActsOnItInOffsetOrder() {
        open(Durability.WRITE);
        LogWriter w = new LogWriter(log, log.commit(), 64, 48, 8);
        List<Long> order = new CopyOnWriteArrayList<>();
        List<Recorded> appends = offer(w, 20, order);
        assertFalse(appends.get(0).isDone(), "nothing happens before the writer works");

        assertEquals(20, w.doWork());
        assertEquals(1, w.batches());
        assertEquals(java.util.stream.LongStream.range(0, 20).boxed().toList(), order);
        assertTrue(appends.stream().allMatch(a -> a.isDone() && !a.isCompletedExceptionally()));
        assertEquals(20, log.endOffset());
        assertEquals("m7", LogTestSupport.text(log.readTopic("t/1", 7, 1).get(0)));
        assertEquals(0, w.doWork(), "an empty queue is no batch");
        assertEquals(1, w.batches());
    }

    @Test
    void everyWriteAnnouncesTheNewEndOnceAfterTheForceAndOutsideTheLock() {
        open(Durability.FSYNC);
        LogWriter w = new LogWriter(log, log.commit(), 64, 48, 8);
        List<String> seen = new CopyOnWriteArrayList<>();
        Runnable listener = () -> seen.add(log.endOffset() + (log.writeLock().isHeldByCurrentThread() ? " locked" : ""));
        log.addAppendListener(listener);

        offer(w, 20, new ArrayList<>());
        assertEquals(List.of(), seen, "nothing before the writer works");
        w.doWork();
        assertEquals(List.of("20"), seen, "one announcement per batch, the forced end already visible");
        log.append(LogTestSupport.msg("t/x", "direct"));
        log.append(List.of(LogTestSupport.msg("t/y", "a"), LogTestSupport.msg("t/y", "b")));
        assertEquals(List.of("20", "21", "23"), seen);

        log.removeAppendListener(listener);
        log.append(LogTestSupport.msg("t/x", "unheard"));
        assertEquals(3, seen.size());
    }

    @Test
    void fsyncForcesOncePerBatchAndAcknowledgesOnlyAfterTheForce() {
        open(Durability.FSYNC);
        LogWriter w = new LogWriter(log, log.commit(), 512, 400, 8);
        List<Long> order = new CopyOnWriteArrayList<>();
        long forcesBefore = log.commit().forces();
        List<Recorded> first = offer(w, 300, order);
        w.doWork();
        assertEquals(forcesBefore + 1, log.commit().forces(), "300 records, one force");
        assertEquals(300, log.endOffset());
        assertTrue(first.stream().allMatch(CompletableFuture::isDone));

        offer(w, 5, order);
        w.doWork();
        assertEquals(forcesBefore + 2, log.commit().forces(), "the next batch, the next force");
        assertEquals(305, log.endOffset());
        assertEquals(2, w.batches());
    }

    @Test
    void thePublisherIsPacedAboveTheHighWatermarkAndResumedOnceDrained() {
        open(Durability.WRITE);
        LogWriter w = new LogWriter(log, log.commit(), 8, 4, 1);
        TestPacer pacer = new TestPacer(0);
        List<Long> order = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            w.offer(new Recorded(LogTestSupport.msg("t", "m" + i), order), pacer);
        }
        assertFalse(pacer.isPaused(), "below the high watermark");
        w.offer(new Recorded(LogTestSupport.msg("t", "m3"), order), pacer);
        assertTrue(pacer.isPaused(), "at the high watermark");
        w.offer(new Recorded(LogTestSupport.msg("t", "m4"), order), pacer);
        assertEquals(1, pacer.pauses.get(), "paused once however many it offers meanwhile");
        assertEquals(1, w.pauses());

        w.doWork();
        assertFalse(pacer.isPaused(), "resumed once the writer drained below the low watermark");
        assertEquals(1, pacer.resumes.get());
        assertEquals(5, order.size(), "nothing dropped");
    }

    @Test
    void aFullQueueMakesAnUnpacedPublisherWaitForRoomAndDropsNothing() throws Exception {
        open(Durability.WRITE);
        LogWriter w = new LogWriter(log, log.commit(), 4, 4, 1);
        List<Long> order = new CopyOnWriteArrayList<>();
        offer(w, 4, order);
        Recorded fifth = new Recorded(LogTestSupport.msg("t", "m4"), order);
        CompletableFuture<Void> offered = CompletableFuture.runAsync(() -> w.offer(fifth, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> w.roomWaits() == 1);
        assertFalse(offered.isDone(), "waits while the queue is full");

        w.doWork(); // the four queued
        offered.get(10, java.util.concurrent.TimeUnit.SECONDS);
        w.doWork(); // the fifth
        assertTrue(fifth.isDone() && !fifth.isCompletedExceptionally());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), order);
    }

    @Test
    void aDiskThatRunsLowWhileRecordsWaitRefusesThemThroughTheWriterAndStoresNothing() {
        open(Durability.FSYNC);
        LogWriter w = new LogWriter(log, log.commit(), 64, 48, 8);
        List<Long> order = new CopyOnWriteArrayList<>();
        offer(w, 2, order);
        w.doWork();
        List<Recorded> waiting = offer(w, 3, order);
        long forces = log.commit().forces();
        log.diskSpace().markLow("test: the disk filled up while they waited");

        w.doWork();
        for (Recorded r : waiting) {
            CompletionException e = assertThrows(CompletionException.class, r::join);
            assertInstanceOf(DiskFullException.class, e.getCause());
            assertEquals(Message.NO_OFFSET, r.offset());
        }
        assertEquals(2, log.endOffset(), "nothing of them stored");
        assertEquals(List.of(0L, 1L), order, "no refused record reached onStored");
        assertEquals(forces, log.commit().forces(), "nothing written, nothing forced");
        assertThrows(DiskFullException.class, () -> log.appendAsync(new Recorded(LogTestSupport.msg("t", "x"), order), null),
                "refused at once while low: nothing queued");

        assertFalse(log.diskSpace().check(), "this disk has room: writes resume");
        offer(w, 1, order);
        w.doWork();
        assertEquals(List.of(0L, 1L, 2L), order, "the next record takes the next offset");
    }

    @Test
    void closingFinishesWhatIsQueuedThenRefusesNewRecords() {
        open(Durability.FSYNC);
        List<Long> order = new CopyOnWriteArrayList<>();
        List<Recorded> queued = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Recorded r = new Recorded(LogTestSupport.msg("t", "m" + i), order);
            log.appendAsync(r, null);
            queued.add(r);
        }
        log.close();
        assertTrue(queued.stream().allMatch(r -> r.isDone() && !r.isCompletedExceptionally()), "every queued record stored");
        assertEquals(java.util.stream.LongStream.range(0, 2_000).boxed().toList(), order);
        assertThrows(LogException.class, () -> log.appendAsync(new Recorded(LogTestSupport.msg("t", "late"), order), null));
        log = ChronicleMessageLog.open(LogTestSupport.config(dir).durability(Durability.FSYNC));
        assertEquals(2_000, log.endOffset(), "all of them there after a restart");
    }

    @Test
    void theRunningWriterBatchesConcurrentPublishersAndForcesFarLessThanOncePerRecord() throws Exception {
        open(Durability.FSYNC);
        int publishers = 4;
        int each = 500;
        List<Long> order = new CopyOnWriteArrayList<>();
        long forces = log.commit().forces();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        List<Recorded> all = new CopyOnWriteArrayList<>();
        for (int p = 0; p < publishers; p++) {
            int publisher = p;
            done.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < each; i++) {
                    Recorded r = new Recorded(LogTestSupport.msg("p/" + publisher, publisher + ":" + i), order);
                    log.appendAsync(r, null);
                    all.add(r);
                }
            }));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, java.util.concurrent.TimeUnit.SECONDS);
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(publishers * each, log.endOffset());
        assertEquals(java.util.stream.LongStream.range(0, publishers * each).boxed().toList(), order, "offset order");
        long used = log.commit().forces() - forces;
        assertTrue(used >= 1 && used <= log.writer().batches(), used + " forces for " + log.writer().batches() + " batches");
        for (int p = 0; p < publishers; p++) { // each publisher's records in its own order
            List<LogRecord> mine = log.readTopic("p/" + p, 0, each);
            for (int i = 0; i < each; i++) {
                assertEquals(p + ":" + i, LogTestSupport.text(mine.get(i)));
            }
        }
    }
}
