package io.staticlet.core.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.Container;
import java.nio.charset.StandardCharsets;

/**
 * {@code io.kubernetes.container.hash}: FNV-32a of the container's JSON, lower-case hex without
 * leading zeros (the kubelet's {@code HashContainer} since it switched to JSON). Only this agent
 * compares it, so our JSON form only has to be stable (the fabric8 model's property order, map keys
 * sorted, nulls omitted), not byte-identical to Go's.
 */
public final class ContainerHash {
  private static final int FNV32_OFFSET_BASIS = 0x811c9dc5;
  private static final int FNV32_PRIME = 0x01000193;
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private ContainerHash() {}

  public static String of(Container container) {
    try {
      return Integer.toHexString(
          fnv32a(JSON.writeValueAsString(container).getBytes(StandardCharsets.UTF_8)));
    } catch (JsonProcessingException e) {
      // the model classes are plain beans; failing here is a programming error
      throw new IllegalStateException("cannot serialise container " + container.getName(), e);
    }
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
