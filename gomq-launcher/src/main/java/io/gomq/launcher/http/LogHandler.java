package io.gomq.launcher.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.log.DiskSpace;
import io.gomq.core.log.LogStats;
import io.gomq.core.log.MessageLog;

/**
 * GET /log: the durable log's figures, {@code {"persistent":true,"startOffset":0,"endOffset":42,
 * "records":42,"segments":2,"compactedSegments":1,"sizeBytes":..,"headSegmentBytes":..,
 * "topics":3,"retained":1,"compactionRuns":1,"compactionRemovedRecords":5,
 * "compressionRatio":2.5,"retentionDeletedSegments":0,"disk":{"freeBytes":..,"reserveBytes":..,
 * "totalBytes":..,"low":false}}}. A memory-only broker answers {@code {"persistent":false}}.
 *
 * <p>Thread rules: a worker thread (the figures walk the log's directory).
 */
final class LogHandler implements ApiHandler {
    private final BrokerEngine engine;

    LogHandler(BrokerEngine engine) {
        this.engine = engine;
    }

    record DiskView(long freeBytes, long reserveBytes, long totalBytes, boolean low) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LogView(boolean persistent, Long startOffset, Long endOffset, Long records, Integer segments,
                   Integer compactedSegments, Long sizeBytes, Long headSegmentBytes, Integer topics, Integer retained,
                   Long compactionRuns, Long compactionRemovedRecords, Double compressionRatio,
                   Long retentionDeletedSegments, DiskView disk) {
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        MessageLog log = engine.log();
        if (log == null) {
            return ApiResponse.ok(new LogView(false, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null));
        }
        LogStats s = log.stats();
        DiskSpace d = log.diskSpace();
        DiskView disk = d == null ? null : new DiskView(d.freeBytes(), d.reserveBytes(), d.totalBytes(), d.isLow());
        return ApiResponse.ok(new LogView(true, s.startOffset(), s.endOffset(), s.recordCount(), s.segmentCount(),
                s.compactedSegmentCount(), s.sizeBytes(), s.headSegmentBytes(), s.topicCount(), s.retainedCount(),
                s.compactionRuns(), s.compactionRemovedRecords(), s.compressionRatio(), s.retentionDeletedSegments(),
                disk));
    }
}
