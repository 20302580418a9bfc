package io.gomq.embedded.internal;

import io.gomq.client.ClosedException;
import io.gomq.client.GoMqException;
import io.gomq.client.NotAuthorizedException;
import io.gomq.client.NotStoredException;
import io.gomq.core.engine.BrokerClosedException;
import io.gomq.core.engine.RetainedLimitException;
import io.gomq.core.log.LogException;
import io.gomq.core.replication.FencedException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The engine's exceptions as the API's ({@link GoMqException} and its kinds, or a plain
 * {@link IllegalArgumentException} for the caller's mistakes), so that no core type reaches the
 * user: the engine's exception stays on as the cause.
 */
final class ApiFailures {
    private ApiFailures() {
    }

    /** {@return {@code e} (unwrapped from a future's wrapper) as the API's exception} */
    static RuntimeException toApi(Throwable e) {
        Throwable t = (e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null ? e.getCause() : e;
        if (t instanceof GoMqException api) {
            return api;
        }
        if (t instanceof io.gomq.core.auth.NotAuthorizedException) {
            return new NotAuthorizedException(t.getMessage(), t);
        }
        if (t instanceof BrokerClosedException) {
            return new ClosedException(t.getMessage(), t);
        }
        if (t instanceof LogException || t instanceof RetainedLimitException || t instanceof FencedException) {
            return new NotStoredException("not stored: " + t.getMessage(), t); // disk full, a quota, a log that refuses writes
        }
        if (t instanceof IllegalArgumentException && t.getClass().getPackageName().startsWith("io.gomq.core")) {
            return new IllegalArgumentException(t.getMessage(), t); // a bad topic or payload: the caller's mistake
        }
        if (t.getClass().getPackageName().startsWith("io.gomq.core") || !(t instanceof RuntimeException)) {
            return new GoMqException(t.getMessage(), t); // e.g. max-sessions reached: no engine type reaches the user
        }
        return (RuntimeException) t;
    }

    /** {@return {@code f}, failing with the API's exception where it fails with the engine's} */
    static <T> CompletableFuture<T> mapped(CompletableFuture<T> f) {
        return f.exceptionallyCompose(e -> CompletableFuture.failedFuture(toApi(e)));
    }
}
