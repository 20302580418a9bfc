package io.gomq.core.log;

import io.gomq.core.log.segment.Segment;
import io.gomq.core.time.BrokerClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Segments taken out of the segment list (replaced by compaction or truncation, or deleted by
 * retention). Each is marked retired at once, so readers still on it re-locate by offset, and is
 * closed only after {@link #GRACE_MS}; its files are deleted then, unless a successor took its
 * path (a compacted segment compacted again is replaced by a file with the same name).
 *
 * <p>Thread rules: {@link #retireLater} from any thread (compaction, retention and truncation
 * hold the log's write lock); {@link #purge} on the maintenance thread or at close.
 */
final class RetiredSegments {
    private static final Logger LOG = LoggerFactory.getLogger(RetiredSegments.class);
    /** How long a replaced or deleted segment stays open for readers still on it. */
    static final long GRACE_MS = 1_000;

    private final List<Retired> retired = new ArrayList<>();
    private final BrokerClock clock;

    /** @param clock the log's clock (tests advance it past the grace period) */
    RetiredSegments(BrokerClock clock) {
        this.clock = clock;
    }

    /** A segment out of the list, closed after a grace period; its files deleted unless a successor took its path. */
    private record Retired(Segment segment, long atMillis, boolean deleteFiles) {
    }

    /** Retires {@code s}: closed after the grace period, its files deleted iff {@code deleteFiles}. */
    void retireLater(Segment s, boolean deleteFiles) {
        s.retire();
        synchronized (retired) {
            retired.add(new Retired(s, clock.millis(), deleteFiles));
        }
    }

    /** Segments retired and not yet closed. */
    int pending() {
        synchronized (retired) {
            return retired.size();
        }
    }

    /** Closes (and deletes, where due) the segments whose grace period is over, or all of them. */
    void purge(boolean all) {
        long now = clock.millis();
        List<Retired> ready = new ArrayList<>();
        synchronized (retired) {
            retired.removeIf(r -> {
                if (all || now - r.atMillis() >= GRACE_MS) {
                    ready.add(r);
                    return true;
                }
                return false;
            });
        }
        for (Retired r : ready) {
            Segment s = r.segment();
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("closing retired segment {} failed", s, e);
            }
            // a compaction source (its .cseg is committed) or a segment retention removed
            if (r.deleteFiles()) {
                s.deleteFiles();
            }
        }
    }
}
