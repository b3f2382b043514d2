package io.staticlet.core.probe;

/** The three probes a container may have; the name is what log lines and messages show. */
public enum ProbeType {
  LIVENESS("Liveness"),
  READINESS("Readiness"),
  STARTUP("Startup");

  private final String display;

  ProbeType(String display) {
    this.display = display;
  }

  /** {@code Liveness}, {@code Readiness}, {@code Startup}: the kubelet's wording in events. */
  public String display() {
    return display;
  }

  /** A failure of this probe kills the container (liveness, startup). */
  public boolean killsOnFailure() {
    return this != READINESS;
  }
}
