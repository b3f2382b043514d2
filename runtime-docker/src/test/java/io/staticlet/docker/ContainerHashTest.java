package io.staticlet.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContainerHashTest {
  @Test
  void implementsFnv32aTestVectors() {
    assertEquals(0x811c9dc5, ContainerHash.fnv32a(new byte[0]));
    assertEquals(0xe40c292c, ContainerHash.fnv32a("a".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(0xbf9cf968, ContainerHash.fnv32a("foobar".getBytes(StandardCharsets.US_ASCII)));
  }
}
