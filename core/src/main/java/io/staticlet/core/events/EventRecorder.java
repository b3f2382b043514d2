package io.staticlet.core.events;

/**
 * Where pod events go. Implementations never block the caller and never throw: an event is
 * information, and losing one must not fail a sync.
 */
@FunctionalInterface
public interface EventRecorder {
  /** Records nothing: standalone mode, where the log already says everything. */
  EventRecorder NONE = event -> {};

  void record(PodEvent event);
}
