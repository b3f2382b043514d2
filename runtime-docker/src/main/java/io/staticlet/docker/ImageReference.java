package io.staticlet.docker;

/**
 * An image reference split the way the pull API wants it: {@code fromImage} and {@code tag}.
 * Without tag or digest Docker would pull every tag, so {@code latest} is made explicit.
 */
record ImageReference(String repository, String tag) {
  static ImageReference parse(String image) {
    int at = image.indexOf('@');
    if (at >= 0) {
      return new ImageReference(image.substring(0, at), image.substring(at + 1)); // digest as "tag"
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (colon > slash) {
      return new ImageReference(image.substring(0, colon), image.substring(colon + 1));
    }
    return new ImageReference(image, "latest");
  }
}
