package io.staticlet.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;
import io.staticlet.core.runtime.ImagePullException;
import io.staticlet.core.runtime.PullPolicy;
import io.staticlet.core.runtime.RuntimeUnavailableException;
import io.staticlet.docker.DockerErrors.Operation;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes images present according to the Kubernetes pull policy: {@code IfNotPresent} pulls only a
 * missing image, {@code Always} pulls every time (a failed pull is an error even with a local copy,
 * as in the kubelet), {@code Never} only checks ({@code ErrImageNeverPull}).
 */
final class ImagePuller {
  private static final Logger log = LoggerFactory.getLogger(ImagePuller.class);

  /** A pull fails after this long without a progress message from the engine. */
  static final Duration NO_PROGRESS = Duration.ofMinutes(1);

  private final DockerClient docker;
  private final DockerClient pulls;

  /**
   * @param pulls a client without a read timeout: a pull's deadline is its progress ({@link
   *     #NO_PROGRESS})
   */
  ImagePuller(DockerClient docker, DockerClient pulls) {
    this.docker = docker;
    this.pulls = pulls;
  }

  void ensure(String image, PullPolicy pullPolicy) {
    switch (pullPolicy) {
      case NEVER:
        if (!present(image)) {
          throw new ImagePullException(
              "ErrImageNeverPull: container image \""
                  + image
                  + "\" is not present with pull policy of Never");
        }
        return;
      case IF_NOT_PRESENT:
        if (!present(image)) {
          pull(image);
        }
        return;
      case ALWAYS:
        pull(image);
        return;
      default:
        throw new IllegalStateException("pull policy " + pullPolicy);
    }
  }

  boolean present(String image) {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    } catch (RuntimeException e) {
      throw DockerErrors.translate(Operation.IMAGE, "inspect image " + image, e);
    }
  }

  /** The image's configured {@code User}, "" if none or unknown. */
  String configuredUser(String image) {
    try {
      var config = docker.inspectImageCmd(image).exec().getConfig();
      return config == null || config.getUser() == null ? "" : config.getUser();
    } catch (NotFoundException e) {
      return "";
    } catch (RuntimeException e) {
      throw DockerErrors.translate(Operation.IMAGE, "inspect image " + image, e);
    }
  }

  private void pull(String image) {
    ImageReference ref = ImageReference.parse(image);
    log.info("pulling image image={}", image);
    AtomicLong lastProgress = new AtomicLong(System.nanoTime());
    PullImageResultCallback callback =
        new PullImageResultCallback() {
          @Override
          public void onNext(PullResponseItem item) {
            lastProgress.set(System.nanoTime());
            super.onNext(item);
          }
        };
    try {
      pulls.pullImageCmd(ref.repository()).withTag(ref.tag()).exec(callback);
      // a pull may take long, but not a minute without a progress message (DECISIONS.md 26)
      while (!callback.awaitCompletion(1, TimeUnit.SECONDS)) {
        long silent = System.nanoTime() - lastProgress.get();
        if (silent > NO_PROGRESS.toNanos()) {
          closeQuietly(callback);
          throw new ImagePullException(
              "ErrImagePull: pull image "
                  + image
                  + ": no progress for "
                  + NO_PROGRESS.toSeconds()
                  + "s");
        }
      }
      callback.awaitCompletion(); // rethrows what the stream ended with
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeUnavailableException("pull image " + image + ": interrupted", e);
    } catch (RuntimeException e) {
      // Registry failures arrive as engine answers (ImagePullException); I/O failures mean the
      // engine itself is gone (RuntimeUnavailableException).
      throw DockerErrors.translate(Operation.IMAGE, "pull image " + image, e);
    }
    log.info("pulled image image={}", image);
  }

  private static void closeQuietly(PullImageResultCallback callback) {
    try {
      callback.close();
    } catch (IOException e) {
      log.debug("closing an abandoned pull failed", e);
    }
  }
}
