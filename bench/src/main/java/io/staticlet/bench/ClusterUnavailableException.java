package io.staticlet.bench;

/** Cluster mode cannot be measured; the message is the reason shown in the table's "n/a" rows. */
final class ClusterUnavailableException extends Exception {
  ClusterUnavailableException(String reason) {
    super(reason);
  }
}
