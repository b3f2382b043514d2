package io.staticlet.core.probe;

import java.util.Objects;

/**
 * The outcome of one probe run. A success may carry a warning (e.g. a redirect to another host,
 * which the kubelet also counts as success); a failure always says why.
 */
public record ProbeResult(boolean succeeded, String message) {
  private static final ProbeResult SUCCESS = new ProbeResult(true, "");

  public ProbeResult {
    Objects.requireNonNull(message, "message");
  }

  public static ProbeResult success() {
    return SUCCESS;
  }

  public static ProbeResult warning(String message) {
    return new ProbeResult(true, message);
  }

  public static ProbeResult failure(String message) {
    return new ProbeResult(false, message);
  }
}
