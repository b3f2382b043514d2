package io.staticlet.app.probe;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * The two protobuf messages of {@code grpc.health.v1} in gRPC's length-prefixed framing, by hand:
 * {@code HealthCheckRequest {string service = 1;}} and {@code HealthCheckResponse {ServingStatus
 * status = 1;}}. Small enough not to need protobuf-java.
 */
final class GrpcHealthMessages {
  /** {@code ServingStatus.SERVING}. */
  static final int SERVING = 1;

  private static final String[] STATUS_NAMES = {
    "UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"
  };

  private GrpcHealthMessages() {}

  /** One gRPC message: flag 0 (uncompressed), 4-byte big-endian length, the encoded request. */
  static byte[] requestFrame(String service) {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    byte[] name = service.getBytes(StandardCharsets.UTF_8);
    if (name.length > 0) {
      message.write(0x0a); // field 1, wire type 2 (length-delimited)
      writeVarint(message, name.length);
      message.writeBytes(name);
    }
    byte[] body = message.toByteArray();
    return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(body.length).put(body).array();
  }

  /**
   * The status of the first message in a response body; empty when the body is not one
   * uncompressed, complete gRPC message. A message without field 1 is {@code UNKNOWN} (proto3
   * default).
   */
  static OptionalInt status(byte[] body) {
    if (body.length < 5 || body[0] != 0) {
      return OptionalInt.empty();
    }
    ByteBuffer in = ByteBuffer.wrap(body);
    in.get();
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      return OptionalInt.empty();
    }
    ByteBuffer message = in.slice().limit(length);
    int status = 0;
    while (message.hasRemaining()) {
      long tag = readVarint(message);
      if (tag < 0) {
        return OptionalInt.empty();
      }
      int field = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      switch (wireType) {
        case 0 -> {
          long value = readVarint(message);
          if (value < 0) {
            return OptionalInt.empty();
          }
          if (field == 1) {
            status = (int) value;
          }
        }
        case 1 -> {
          if (!skip(message, 8)) {
            return OptionalInt.empty();
          }
        }
        case 2 -> {
          long len = readVarint(message);
          if (len < 0 || !skip(message, (int) len)) {
            return OptionalInt.empty();
          }
        }
        case 5 -> {
          if (!skip(message, 4)) {
            return OptionalInt.empty();
          }
        }
        default -> {
          return OptionalInt.empty();
        }
      }
    }
    return OptionalInt.of(status);
  }

  static String statusName(int status) {
    return status >= 0 && status < STATUS_NAMES.length
        ? STATUS_NAMES[status]
        : String.valueOf(status);
  }

  private static void writeVarint(ByteArrayOutputStream out, int value) {
    while ((value & ~0x7f) != 0) {
      out.write((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }

  /** The varint at the buffer's position, or -1 when truncated or longer than 64 bits. */
  private static long readVarint(ByteBuffer in) {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!in.hasRemaining()) {
        return -1;
      }
      byte b = in.get();
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    return -1;
  }

  private static boolean skip(ByteBuffer in, int n) {
    if (n < 0 || n > in.remaining()) {
      in.position(in.limit());
      return false;
    }
    in.position(in.position() + n);
    return true;
  }
}
