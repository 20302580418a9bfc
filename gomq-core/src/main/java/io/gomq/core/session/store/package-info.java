/**
 * Session persistence: what a persistent session writes down so that it survives a restart or
 * a failover, and how it is read back.
 *
 * <ul>
 *   <li>{@link io.gomq.core.session.store.SessionJournal}: what a session reports (subscriptions,
 *       QoS 1/2 exchanges in both directions, its read position, expiry, will), with two
 *       implementations: {@link io.gomq.core.session.store.StoreSessionJournal} over the local
 *       {@link io.gomq.core.session.store.SessionStore}, and
 *       {@link io.gomq.core.session.store.LogSessionJournal}, whole states as retained records in
 *       the replicated log (a cluster).</li>
 *   <li>{@link io.gomq.core.session.store.SessionState}: one session's durable state;
 *       {@code SessionStateCodec} its one versioned encoding, used by both journals and able to
 *       read every layout either ever wrote.</li>
 *   <li>The local store's files: {@code SessionFiles} (recovery at open, the snapshot switch),
 *       {@code SessionSnapshotFormat}, {@code SessionWalFormat}, {@code SessionWal} (space
 *       allocated ahead), {@code SessionWalWriter} (the file's writes and forces) and
 *       {@code SessionStoreWriter}, the store's one writer thread (batches, a group commit under
 *       FSYNC, the snapshot switch).</li>
 * </ul>
 *
 * <p>Design note: a package of its own under {@code session} rather than inside {@code log}:
 * the data path is a session writing down its state, and the log is only one of the two places
 * it goes. It depends on {@code log} (record layout, disk space, the log journal's appends) and
 * nothing here depends on the live sessions; {@code session} depends on it through the journal.
 * Re-creating live sessions from stored states stays in {@code engine.SessionRecovery}: it needs
 * the registry and the engine's timers.
 *
 * <p>Thread rules: the store takes updates from any thread, locking only its client id's stripe
 * for the memory change and the hand-over to its writer thread, which alone does file I/O; see
 * {@link io.gomq.core.session.store.SessionStore}.
 */
package io.gomq.core.session.store;
