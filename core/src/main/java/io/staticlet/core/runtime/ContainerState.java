package io.staticlet.core.runtime;

/** Engine state of one container, as far as core cares. */
public enum ContainerState {
  CREATED,
  RUNNING,
  EXITED,
  UNKNOWN
}
