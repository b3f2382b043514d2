package io.staticlet.docker;

import io.fabric8.kubernetes.api.model.Container;
import java.nio.charset.StandardCharsets;

/**
 * {@code io.kubernetes.container.hash}: FNV-32a of the container's JSON, lower-case hex without
 * leading zeros (the kubelet's {@code HashContainer} since it switched to JSON). Only this
 * agent compares it, so our JSON form only has to be stable, not byte-identical to Go's.
 */
final class ContainerHash {
  private static final int FNV32_OFFSET_BASIS = 0x811c9dc5;
  private static final int FNV32_PRIME = 0x01000193;

  private ContainerHash() {}

  static String of(Container container) {
    return Integer.toHexString(fnv32a(ModelJson.write(container).getBytes(StandardCharsets.UTF_8)));
  }

  static int fnv32a(byte[] data) {
    int hash = FNV32_OFFSET_BASIS;
    for (byte b : data) {
      hash ^= b & 0xff;
      hash *= FNV32_PRIME;
    }
    return hash;
  }
}
