package io.staticlet.app.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class GrpcHealthMessagesTest {
  @Test
  void encodesTheRequestWithItsServiceNameInALengthPrefixedFrame() {
    assertArrayEquals(
        new byte[] {0, 0, 0, 0, 5, 0x0a, 3, 'd', 'b', '1'}, GrpcHealthMessages.requestFrame("db1"));
  }

  @Test
  void theRequestForTheWholeServerIsEmpty() {
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0}, GrpcHealthMessages.requestFrame(""));
  }

  @Test
  void readsTheServingStatus() {
    assertEquals(OptionalInt.of(1), GrpcHealthMessages.status(new byte[] {0, 0, 0, 0, 2, 0x08, 1}));
    assertEquals(OptionalInt.of(2), GrpcHealthMessages.status(new byte[] {0, 0, 0, 0, 2, 0x08, 2}));
  }

  @Test
  void anEmptyMessageIsUnknownAndUnknownFieldsAreSkipped() {
    assertEquals(OptionalInt.of(0), GrpcHealthMessages.status(new byte[] {0, 0, 0, 0, 0}));
    assertEquals(
        OptionalInt.of(1),
        GrpcHealthMessages.status(new byte[] {0, 0, 0, 0, 6, 0x12, 2, 'h', 'i', 0x08, 1}));
  }

  @Test
  void rejectsCompressedTruncatedOrMissingMessages() {
    assertEquals(
        OptionalInt.empty(), GrpcHealthMessages.status(new byte[] {1, 0, 0, 0, 2, 0x08, 1}));
    assertEquals(
        OptionalInt.empty(), GrpcHealthMessages.status(new byte[] {0, 0, 0, 0, 3, 0x08, 1}));
    assertEquals(OptionalInt.empty(), GrpcHealthMessages.status(new byte[0]));
    assertEquals(
        OptionalInt.empty(),
        GrpcHealthMessages.status(new byte[] {0, 0, 0, 0, 2, 0x08, (byte) 0x81}));
  }
}
