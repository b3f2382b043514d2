package io.staticlet.core.manifest;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK {@link WatchService} on the manifest path. Events carry no meaning beyond "something may
 * have changed": the consumer re-lists everything (DECISIONS.md 6).
 *
 * <p>What is watched: a directory {@code staticPodPath} itself; otherwise (a single file, or a path
 * that does not exist yet) its parent directory, with events filtered to the path's name — so a
 * replaced file, or a manifest directory that appears, is noticed at once. {@link
 * #ensureRegistered()} (re)establishes the registration and is called before every listing; a
 * registration that failed or went stale (the directory was deleted) is retried there.
 *
 * <p>Thread-safety: {@link #run} loops on the watch thread; everything else is synchronized.
 */
final class ManifestWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestWatch.class);

  private record Registration(Path directory, String onlyName, WatchKey key) {}

  private final Path staticPodPath;
  private final WatchService service; // null when the platform has none: periodic listing only
  private Registration current; // guarded by this
  private boolean warnedFailure; // guarded by this

  private ManifestWatch(Path staticPodPath, WatchService service) {
    this.staticPodPath = staticPodPath;
    this.service = service;
  }

  static ManifestWatch open(Path staticPodPath) {
    try {
      return new ManifestWatch(staticPodPath, staticPodPath.getFileSystem().newWatchService());
    } catch (IOException | UnsupportedOperationException e) {
      LOG.warn(
          "Cannot watch {} ({}); relying on the periodic re-list", staticPodPath, e.toString());
      return new ManifestWatch(staticPodPath, null);
    }
  }

  /**
   * Registers the watch if it is missing, stale or aimed at the wrong directory. True when
   * watching.
   */
  synchronized boolean ensureRegistered() {
    if (service == null) {
      return false;
    }
    boolean directory = Files.isDirectory(staticPodPath);
    Path target = directory ? staticPodPath : staticPodPath.getParent();
    String onlyName = directory ? null : staticPodPath.getFileName().toString();
    if (current != null
        && current.key().isValid()
        && current.directory().equals(target)
        && Objects.equals(current.onlyName(), onlyName)) {
      return true;
    }
    if (current != null) {
      current.key().cancel();
      current = null;
    }
    if (target == null || !Files.isDirectory(target)) {
      return false;
    }
    try {
      WatchKey key = target.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
      current = new Registration(target, onlyName, key);
      warnedFailure = false;
      LOG.info("Watching {}{}", target, onlyName == null ? "" : " for " + onlyName);
      return true;
    } catch (IOException | ClosedWatchServiceException e) {
      if (!warnedFailure) {
        LOG.warn("Cannot watch {} ({}); will retry at the next re-list", target, e.toString());
        warnedFailure = true;
      }
      return false;
    }
  }

  synchronized boolean isRegistered() {
    return current != null && current.key().isValid();
  }

  /**
   * Whether an event for {@code name} (null: "anything", e.g. an overflow) can concern the
   * manifests.
   */
  synchronized boolean accepts(String name) {
    return name == null
        || current == null
        || current.onlyName() == null
        || current.onlyName().equals(name);
  }

  /**
   * The watch loop: hands every event's file name (null for an overflow or a watch that became
   * invalid) to {@code onEvent}, until {@link #close()}.
   */
  void run(Consumer<String> onEvent) {
    if (service == null) {
      return;
    }
    while (true) {
      WatchKey key;
      try {
        key = service.take();
      } catch (ClosedWatchServiceException e) {
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      for (WatchEvent<?> event : key.pollEvents()) {
        if (event.kind() == OVERFLOW || !(event.context() instanceof Path name)) {
          onEvent.accept(null);
        } else {
          onEvent.accept(name.getFileName().toString());
        }
      }
      if (!key.reset() && isCurrent(key)) {
        LOG.info("Watch on {} ended (directory removed?); re-listing", staticPodPath);
        onEvent.accept(null);
      }
    }
  }

  private synchronized boolean isCurrent(WatchKey key) {
    return current != null && current.key() == key;
  }

  @Override
  public synchronized void close() {
    if (current != null) {
      current.key().cancel();
      current = null;
    }
    if (service != null) {
      try {
        service.close();
      } catch (IOException e) {
        LOG.debug("Closing the watch service of {} failed", staticPodPath, e);
      }
    }
  }
}
