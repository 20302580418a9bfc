package io.gomq.core.concurrent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * VarHandles for fields that one thread writes with release or opaque stores (no store fence
 * on the hot path) while others read them as volatile. For static initializers.
 */
public final class FieldHandles {
    private FieldHandles() {
    }

    /**
     * The handle of field {@code name} of {@code owner}, looked up with the caller's
     * {@code lookup} (so private fields work).
     *
     * @throws ExceptionInInitializerError when the field does not exist (a programming error)
     */
    public static VarHandle of(MethodHandles.Lookup lookup, Class<?> owner, String name, Class<?> type) {
        try {
            return lookup.findVarHandle(owner, name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
