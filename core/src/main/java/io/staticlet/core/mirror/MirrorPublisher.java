package io.staticlet.core.mirror;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.status.PodStatusValue;
import java.util.Optional;
import java.util.Set;

/**
 * The API server as the mirror loop sees it (port; the adapter is {@code ApiServerMirrorPublisher}
 * in the mirror module, the only place that builds or reads fabric8 objects for mirrors).
 *
 * <p>Values: what crosses this port is immutable: {@link MirrorPod} records (with a {@link
 * MirrorStatusSummary} of the server's status), {@link StaticPod} (the adapter builds the mirror's
 * API object from it, on a copy) and {@link PodStatusValue} (the adapter renders it with {@code
 * PodStatusRenderer}).
 *
 * <p>Concurrency: implementations are thread-safe; {@link MirrorSync}'s workers call them in
 * parallel for different keys, never two operations for the same key at once. Reads ({@link #get},
 * {@link #listMirrors}, {@link #cacheSynced}, {@link #nodeUid}) come from a cache and never block
 * on the network. Writes ({@link #create}, {@link #delete}, {@link #writeStatus}) are one API call
 * each and block the calling worker for at most the client's request timeout; they are never called
 * from the reconcile loop.
 *
 * <p>Errors: writes throw {@link MirrorApiUnavailableException} when the server cannot be reached
 * or answers with a server error (retry soon), {@link MirrorRejectedException} when it refuses the
 * request (forbidden, namespace missing, admission, invalid: shown to the operator, retried with
 * back-off), {@link MirrorChangedException} when the object changed under us (re-read and retry).
 * Listeners ({@link #watch}) are called on the adapter's threads and must only enqueue.
 */
public interface MirrorPublisher {
  /**
   * The mirror pod (a pod carrying {@code kubernetes.io/config.mirror} bound to this node) with
   * this key, from the cache.
   */
  Optional<MirrorPod> get(PodKey key);

  /**
   * True once the cache has been filled from the server at least once. Before that {@link #get}
   * cannot tell "no mirror" from "not listed yet", so nothing is created or deleted.
   */
  boolean cacheSynced();

  /** Keys of every mirror pod of this node in the cache. */
  Set<PodKey> listMirrors();

  /** UID of this node's Node object when it is known to exist; mirrors can only be created then. */
  Optional<String> nodeUid();

  /**
   * Creates the mirror of {@code pod}. If a mirror with that name already exists it is returned as
   * it is (the caller checks whether it is current); if a pod that is not a mirror has the name,
   * {@link MirrorRejectedException}.
   */
  MirrorPod create(StaticPod pod);

  /**
   * Deletes the mirror with grace period 0 and a UID precondition, so a newer mirror of the same
   * name is never hit. Returns false when that mirror was already gone or replaced. Never touches
   * containers.
   */
  boolean delete(PodKey key, String mirrorUid);

  /**
   * Writes {@code status} through the status subresource of the mirror with UID {@code mirrorUid}.
   * Returns false when that mirror is gone or replaced.
   */
  boolean writeStatus(PodKey key, String mirrorUid, PodStatusValue status);

  /**
   * Registers {@code listener} until the returned handle is closed. Besides mirror changes, the
   * publisher asks for a full resync when the cache has synced, the Node was (re-)registered, or
   * the API server answers again after an outage.
   */
  AutoCloseable watch(MirrorListener listener);
}
