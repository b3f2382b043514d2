package io.staticlet.core.container;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/** Reading Kubernetes resource quantities the way the kubelet rounds them (always up). */
final class Quantities {
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

  private Quantities() {}

  /** CPU in millicores, rounded up (Kubernetes {@code MilliValue}); 0 when absent. */
  static long milliCpu(Map<String, Quantity> resources) {
    Quantity q = resources == null ? null : resources.get("cpu");
    return q == null
        ? 0
        : Quantity.getAmountInBytes(q)
            .multiply(THOUSAND)
            .setScale(0, RoundingMode.CEILING)
            .longValueExact();
  }

  /** Value in base units (bytes for memory), rounded up; 0 when absent. */
  static long value(Map<String, Quantity> resources, String name) {
    Quantity q = resources == null ? null : resources.get(name);
    return q == null
        ? 0
        : Quantity.getAmountInBytes(q).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** {@code ceil(value / divisor)}: how resourceFieldRef renders a value. */
  static long divideCeil(BigDecimal value, Quantity divisor) {
    BigDecimal d = divisor == null ? BigDecimal.ONE : Quantity.getAmountInBytes(divisor);
    if (d.signum() <= 0) {
      d = BigDecimal.ONE;
    }
    return value.divide(d, 0, RoundingMode.CEILING).longValueExact();
  }
}
