package io.staticlet.core.runtime;

/** What a managed container is for in its pod. */
public enum ContainerRole {
  /** The pod's sandbox ("pause") container holding the network and IPC namespaces. */
  SANDBOX,
  INIT,
  APP
}
