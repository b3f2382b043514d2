package io.staticlet.bench;

/**
 * The kubelet's published footprint the footprint rows are compared with (issue #14): kubelet v1.20
 * with 100 pods on the same kind of machine (2 cores), 127 MB resident and 8 % of a core.
 */
final class KubeletFigures {
  static final double RSS_MB = 127;
  static final double CPU_PERCENT = 8;

  /** The footprint target: ≈ 0.7 × the kubelet's RSS. */
  static final double RSS_TARGET_MB = 90;

  static final String SOURCE = "kubelet v1.20, 100 pods: 127 MB RSS, 8 % of a core";

  private KubeletFigures() {}
}
