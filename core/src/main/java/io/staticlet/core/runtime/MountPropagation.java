package io.staticlet.core.runtime;

/** A volume mount's {@code mountPropagation}. */
public enum MountPropagation {
  /** {@code None}: the engine's default (private). */
  NONE,
  /** {@code HostToContainer}: mounts made on the host show in the container (rslave). */
  HOST_TO_CONTAINER,
  /** {@code Bidirectional}: mounts propagate both ways (rshared). */
  BIDIRECTIONAL;

  /** From the manifest's value; anything unknown or absent is {@link #NONE}. */
  public static MountPropagation of(String value) {
    if ("HostToContainer".equals(value)) {
      return HOST_TO_CONTAINER;
    }
    if ("Bidirectional".equals(value)) {
      return BIDIRECTIONAL;
    }
    return NONE;
  }
}
