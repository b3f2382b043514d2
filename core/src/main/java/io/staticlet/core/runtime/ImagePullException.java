package io.staticlet.core.runtime;

/** The image is not present and could not be pulled (ErrImagePull / ImagePullBackOff). */
public class ImagePullException extends RuntimeException {
  public ImagePullException(String message) {
    super(message);
  }

  public ImagePullException(String message, Throwable cause) {
    super(message, cause);
  }
}
