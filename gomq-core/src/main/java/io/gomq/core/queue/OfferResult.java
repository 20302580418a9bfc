package io.gomq.core.queue;

/** What happened to one message offered to one subscriber queue. */
public enum OfferResult {
    ACCEPTED,
    /** Accepted, and the queue is above its high watermark: the publisher should be paced. */
    ACCEPTED_CONGESTED,
    /** Dropped by the queue's policy (counted). */
    DROPPED
}
