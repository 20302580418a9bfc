package io.gomq.core.engine;

/** A retained publish to a new topic while max-retained-messages topics already hold one. */
public final class RetainedLimitException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public RetainedLimitException(int max) {
        super("retained message refused: " + max + " topics hold one already (max-retained-messages)");
    }
}
