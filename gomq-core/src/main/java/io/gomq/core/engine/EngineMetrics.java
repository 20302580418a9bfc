package io.gomq.core.engine;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the engine, lock-free to increment from any thread; read by /metrics. The rare ones are LongAdders. */
public final class EngineMetrics {
    /** Messages and bytes in, and copies queued to subscribers (one message to three subscribers counts three). */
    public final PublishCounters publishes = new PublishCounters();
    public final LongAdder droppedQos0 = new LongAdder();
    public final LongAdder droppedQos1 = new LongAdder();
    /** QoS 0 copies not queued because the persistent session was offline (MQTT allows it). */
    public final LongAdder skippedOffline = new LongAdder();
    public final LongAdder noSubscribers = new LongAdder();
    public final LongAdder pacedPublishers = new LongAdder();
    public final LongAdder willsPublished = new LongAdder();
    public final LongAdder sessionsTakenOver = new LongAdder();
    /** Refusals by the abuse limits ({@link EngineLimits}), by kind. */
    public final LongAdder refusedTopicLength = new LongAdder();
    public final LongAdder refusedTopicLevels = new LongAdder();
    public final LongAdder refusedSubscriptions = new LongAdder();
    public final LongAdder refusedRetained = new LongAdder();
}
