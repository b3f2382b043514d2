package io.staticlet.app.kubeletapi.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the resize stream: concatenated JSON objects {@code {"Width":w,"Height":h}} that may be
 * split across DATA frames. Not thread-safe (used on the event loop).
 */
final class ResizeDecoder {
  record Size(int width, int height) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_PENDING = 4096;

  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  /** The complete sizes these bytes finish; garbage is dropped. */
  List<Size> feed(byte[] bytes) {
    pending.writeBytes(bytes);
    List<Size> sizes = new ArrayList<>();
    byte[] all = pending.toByteArray();
    int start = 0;
    int depth = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '{') {
        depth++;
      } else if (all[i] == '}' && depth > 0 && --depth == 0) {
        parse(all, start, i + 1 - start, sizes);
        start = i + 1;
      } else if (depth == 0 && all[i] != '{') {
        start = i + 1; // whitespace between objects
      }
    }
    pending.reset();
    if (all.length - start <= MAX_PENDING) {
      pending.write(all, start, all.length - start);
    }
    return sizes;
  }

  private static void parse(byte[] all, int offset, int length, List<Size> sizes) {
    try {
      JsonNode node = JSON.readTree(all, offset, length);
      sizes.add(new Size(node.path("Width").asInt(), node.path("Height").asInt()));
    } catch (IOException e) {
      // not a size: ignored, as the kubelet's decoder would stop (we keep going)
    }
  }
}
