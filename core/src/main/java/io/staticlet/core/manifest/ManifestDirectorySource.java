package io.staticlet.core.manifest;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.time.Scheduler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file source of static pods: {@code staticPodPath} is a manifest directory or a single
 * manifest file (DECISIONS.md 4–8, docs/kubelet.md §1).
 *
 * <p><b>Every change is a full re-list</b>, and a file-system event (JDK {@link
 * java.nio.file.WatchService}, on a thread from the given factory named {@code manifest-watch})
 * brings two of them (DECISIONS.md 6):
 *
 * <ul>
 *   <li>an <b>early</b> re-list at once (leading edge: scheduled with no delay; events that arrive
 *       before it ran share it). It delivers only what starts a pod and stops none — pods of files
 *       that are new ({@link EarlyChanges}) — so a manifest dropped into the directory starts
 *       without waiting;
 *   <li>the <b>confirming</b> re-list once no event arrived for {@link Settings#debounce()} (at the
 *       latest {@link Settings#maxDebounce()} after the first event of a burst). Only it may remove
 *       or replace a pod, report errors and forget files, so the intermediate states of a save —
 *       vim's original renamed to {@code file~}, {@code sed -i}'s temporary file, a file truncated
 *       and being rewritten, a ConfigMap volume's {@code ..data} swap — stop nothing: by the time
 *       it runs the save is over.
 * </ul>
 *
 * Independently, a periodic re-list (confirming) runs every {@link Settings#fileCheckFrequency()};
 * it also re-establishes a missing watch and repeats the log lines of files still in error. A
 * periodic tick that finds a confirming re-list pending leaves the work to it. All delays go
 * through the {@link Scheduler}, all time through the {@link Clock}.
 *
 * <p>Each re-list reads every listed file, parses those whose bytes changed ({@link
 * ManifestParser}, {@link ParseCache}) and assembles a complete {@link ManifestSnapshot} ({@link
 * SnapshotAssembler}: last good version of invalid files, first-wins duplicates, stable {@code
 * config.seen}); the listener gets it when it differs from the previous one (the first snapshot is
 * always delivered, even empty). A missing path gives an empty snapshot with an error entry ("path
 * does not exist"): its pods stop, as with the kubelet, and come back when it reappears — but only
 * once it stayed missing for {@link #PATH_GONE_GRACE}, so a directory deleted and recreated within
 * that time restarts nothing. Any other error reading the path keeps every pod (DECISIONS.md 23,
 * {@link ManifestDirectoryLister}).
 *
 * <p>Thread-safety: all state is guarded by {@code this}; the listener is called under that lock,
 * from whichever thread listed (caller of {@link #start()}/{@link #relistNow()} or the scheduler),
 * one snapshot at a time and in order. It must only record and enqueue.
 */
public final class ManifestDirectorySource implements ManifestSource {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestDirectorySource.class);
  static final String THREAD_NAME = "manifest-watch";

  /**
   * How long {@code staticPodPath} must stay missing before its pods are stopped: a directory
   * deleted and recreated (with its files) within this time restarts nothing.
   */
  static final Duration PATH_GONE_GRACE = Duration.ofSeconds(2);

  private final Path staticPodPath;
  private final String nodeName;
  private final Settings settings;
  private final Clock clock;
  private final Scheduler scheduler;
  private final ThreadFactory threadFactory;
  private final ManifestListener listener;

  private final ManifestDirectoryLister lister;
  private final ParseCache parser;
  private final SnapshotAssembler assembler = new SnapshotAssembler();
  private final ManifestErrorLog errorLog = new ManifestErrorLog();

  // all guarded by this
  private ManifestWatch watch;
  private Scheduler.Cancellable periodic;
  private Scheduler.Cancellable debounced; // the confirming re-list of the current burst
  private Scheduler.Cancellable early; // the early re-list, until it starts
  private long debounceGeneration;
  private Instant burstStart;
  private boolean repeatErrors;
  private ManifestSnapshot delivered;
  private boolean started;
  private boolean closed;
  private long relists; // confirming
  private long earlyRelists;
  private Instant missingSince; // the path was first found missing while pods were defined
  private Scheduler.Cancellable missingCheck;

  public ManifestDirectorySource(
      Path staticPodPath,
      String nodeName,
      Settings settings,
      Clock clock,
      Scheduler scheduler,
      ThreadFactory threadFactory,
      ManifestListener listener) {
    this.staticPodPath =
        Objects.requireNonNull(staticPodPath, "staticPodPath").toAbsolutePath().normalize();
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    if (nodeName.isBlank()) {
      throw new IllegalArgumentException("nodeName must not be blank");
    }
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.lister = new ManifestDirectoryLister(this.staticPodPath);
    this.parser = new ParseCache(nodeName);
  }

  public Path staticPodPath() {
    return staticPodPath;
  }

  @Override
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("already started");
    }
    if (closed) {
      throw new IllegalStateException("closed");
    }
    started = true;
    watch = ManifestWatch.open(staticPodPath);
    relist(true); // registers the watch first, so no change between listing and watching is missed
    Thread thread = threadFactory.newThread(() -> watch.run(this::onWatchEvent));
    thread.setName(THREAD_NAME);
    thread.start();
    periodic = scheduler.scheduleAtFixedRate(settings.fileCheckFrequency(), this::onPeriodicTick);
  }

  @Override
  public synchronized void relistNow() {
    if (started && !closed) {
      relist(true);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (periodic != null) {
      periodic.cancel();
    }
    cancelDebounce();
    if (early != null) {
      early.cancel();
      early = null;
    }
    if (missingCheck != null) {
      missingCheck.cancel();
    }
    if (watch != null) {
      watch.close(); // ends the watch thread
    }
  }

  /**
   * The watch thread's event handler (tests call it directly): {@code fileName} is the changed
   * entry's name, or null for "anything may have changed". Schedules the early re-list (unless one
   * is waiting to run) and (re)schedules the confirming one.
   */
  synchronized void onWatchEvent(String fileName) {
    if (closed || !started || !watch.accepts(fileName)) {
      return;
    }
    if (early == null) {
      early = scheduler.schedule(Duration.ZERO, this::onEarly);
    }
    Instant now = clock.instant();
    Duration delay = settings.debounce();
    if (debounced != null) {
      Duration waited = Duration.between(burstStart, now);
      Duration left = settings.maxDebounce().minus(waited);
      if (left.compareTo(delay) < 0) {
        return; // the burst reached its maximum: keep the pending deadline
      }
      debounced.cancel();
    } else {
      burstStart = now;
    }
    long generation = ++debounceGeneration;
    debounced = scheduler.schedule(delay, () -> onDebounceExpired(generation));
  }

  /**
   * Whether the file-system watch is established (false while the path or its parent is missing).
   */
  synchronized boolean isWatching() {
    return watch != null && watch.isRegistered();
  }

  /** Number of confirming listings so far, the first one included (for tests). */
  synchronized long relistCount() {
    return relists;
  }

  /** Number of early listings so far (for tests). */
  synchronized long earlyRelistCount() {
    return earlyRelists;
  }

  private synchronized void onEarly() {
    if (closed || early == null) {
      return;
    }
    early = null; // events from now on schedule the next one
    guarded(() -> relist(false));
  }

  private synchronized void onDebounceExpired(long generation) {
    if (generation != debounceGeneration || closed) {
      return; // superseded or cancelled
    }
    debounced = null;
    guarded(() -> relist(true));
  }

  private synchronized void onPeriodicTick() {
    if (closed) {
      return;
    }
    repeatErrors = true;
    if (debounced != null) {
      watch.ensureRegistered();
      return; // a confirming re-list follows shortly and will repeat the errors
    }
    guarded(() -> relist(true));
  }

  /**
   * Lists and delivers the snapshot if it changed. A confirming listing delivers it whole and
   * commits it; an early one delivers only the new pods ({@link EarlyChanges}) and commits nothing.
   */
  private void relist(boolean confirming) {
    watch.ensureRegistered();
    Instant now = clock.instant();
    ManifestDirectoryLister.Listing listing = confirmMissing(lister.list(), now);
    ManifestSnapshot snapshot;
    if (confirming) {
      relists++;
      snapshot = assembler.assemble(listing, parser.parseAll(listing.files(), now));
      if (listing.complete()) {
        parser.retainOnly(listing.files());
      }
      errorLog.report(snapshot, repeatErrors);
      repeatErrors = false;
    } else {
      earlyRelists++;
      ManifestSnapshot listed = assembler.preview(listing, parser.parseAll(listing.files(), now));
      snapshot =
          EarlyChanges.admit(delivered == null ? ManifestSnapshot.empty() : delivered, listed);
      if (snapshot.equals(delivered)) {
        return;
      }
      assembler.delivered(snapshot);
    }
    if (snapshot.equals(delivered)) {
      return;
    }
    logPodChanges(delivered == null ? Map.of() : delivered.pods(), snapshot.pods());
    delivered = snapshot;
    listener.onSnapshot(snapshot);
  }

  /**
   * A path that vanished while it defined pods is only taken as gone once it stayed missing (or,
   * recreated, empty: {@code rm -rf dir && cp -r backup dir} creates the directory before its
   * files) for {@link #PATH_GONE_GRACE}: until then the listing counts as incomplete (pods kept)
   * and a re-list is scheduled for the end of the grace.
   */
  private ManifestDirectoryLister.Listing confirmMissing(
      ManifestDirectoryLister.Listing listing, Instant now) {
    boolean recreatedEmpty =
        missingSince != null
            && !listing.missing()
            && listing.complete()
            && listing.files().isEmpty();
    if (!listing.missing() && !recreatedEmpty) {
      missingSince = null;
      return listing;
    }
    if (delivered == null || delivered.pods().isEmpty()) {
      return listing; // nothing to stop: say so at once
    }
    if (missingSince == null) {
      missingSince = now;
    }
    Duration left = PATH_GONE_GRACE.minus(Duration.between(missingSince, now));
    if (left.isNegative() || left.isZero()) {
      return listing;
    }
    if (missingCheck != null) {
      missingCheck.cancel();
    }
    missingCheck = scheduler.schedule(left, this::onMissingCheck);
    ManifestError error =
        new ManifestError(
            staticPodPath,
            (recreatedEmpty ? "path was recreated empty" : "path does not exist")
                + "; its pods are stopped if it is still "
                + (recreatedEmpty ? "empty " : "missing ")
                + PATH_GONE_GRACE.toSeconds()
                + " s after it vanished",
            null);
    return new ManifestDirectoryLister.Listing(false, true, List.of(), List.of(error));
  }

  private synchronized void onMissingCheck() {
    if (!closed) {
      missingCheck = null;
      guarded(() -> relist(true));
    }
  }

  private void cancelDebounce() {
    if (debounced != null) {
      debounced.cancel();
      debounced = null;
    }
    debounceGeneration++;
  }

  /** Scheduler threads must survive a failing listener or an unexpected bug. */
  private void guarded(Runnable body) {
    try {
      body.run();
    } catch (RuntimeException e) {
      LOG.error("Re-listing {} failed; will retry at the next event or period", staticPodPath, e);
    }
  }

  private static void logPodChanges(Map<PodKey, StaticPod> before, Map<PodKey, StaticPod> after) {
    after.forEach(
        (key, pod) -> {
          StaticPod old = before.get(key);
          if (old == null) {
            LOG.info("Static pod {} (uid {}) defined by {}", key, pod.uid(), pod.source());
          } else if (!old.uid().equals(pod.uid())) {
            LOG.info(
                "Static pod {} changed: uid {} -> {} ({})",
                key,
                old.uid(),
                pod.uid(),
                pod.source());
          }
        });
    before.forEach(
        (key, pod) -> {
          if (!after.containsKey(key)) {
            LOG.info("Static pod {} (uid {}) no longer defined", key, pod.uid());
          }
        });
  }
}
