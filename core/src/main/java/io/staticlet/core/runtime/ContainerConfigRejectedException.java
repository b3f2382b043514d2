package io.staticlet.core.runtime;

/**
 * The container's configuration could not be prepared on the node (a volume's subPath that leaves
 * its volume, ...): the kubelet's {@code CreateContainerConfigError}. Retried with back-off.
 */
public class ContainerConfigRejectedException extends ContainerSpecRejectedException {
  public ContainerConfigRejectedException(String message) {
    super(message);
  }
}
