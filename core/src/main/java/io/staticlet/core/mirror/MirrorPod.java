package io.staticlet.core.mirror;

import io.staticlet.core.pod.PodKey;
import java.util.Map;
import java.util.Objects;

/**
 * A mirror pod as the API server last showed it (normally from the adapter's informer cache).
 * Immutable: the adapter copies what it needs out of the fabric8 object.
 *
 * @param uid the API server's UID of the mirror (not the static pod's UID)
 * @param resourceVersion opaque; equal values mean the same stored version
 * @param configMirror the {@code kubernetes.io/config.mirror} annotation (the static pod's config
 *     hash when it was published)
 * @param terminating the mirror has a {@code deletionTimestamp} (someone ran {@code kubectl
 *     delete})
 * @param ownerNodeUid UID of the Node in the mirror's owner reference, or empty
 * @param images container name to image, init containers included: what the mirror claims runs
 * @param status what the drift check compares of the status stored on the server
 */
public record MirrorPod(
    PodKey key,
    String uid,
    String resourceVersion,
    String configMirror,
    boolean terminating,
    String ownerNodeUid,
    Map<String, String> images,
    MirrorStatusSummary status) {
  public MirrorPod {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(uid, "uid");
    resourceVersion = resourceVersion == null ? "" : resourceVersion;
    configMirror = configMirror == null ? "" : configMirror;
    ownerNodeUid = ownerNodeUid == null ? "" : ownerNodeUid;
    images = Map.copyOf(images);
    status = status == null ? MirrorStatusSummary.NONE : status;
  }
}
