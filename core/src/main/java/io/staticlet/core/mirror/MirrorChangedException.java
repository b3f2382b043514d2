package io.staticlet.core.mirror;

/**
 * The mirror changed on the server while we acted on it (a race, not an error): re-read and retry.
 */
public class MirrorChangedException extends RuntimeException {
  public MirrorChangedException(String message) {
    super(message);
  }
}
