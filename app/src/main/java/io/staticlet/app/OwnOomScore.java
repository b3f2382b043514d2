package io.staticlet.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own {@code oom_score_adj}, set at start-up like the kubelet's {@code --oom-score-adj}
 * (default -999): under memory pressure the kernel kills pod containers before the agent that
 * restarts them. The outcome also says whether this kernel accepts negative scores at all; when it
 * refuses one from root, the sandboxes are started with 0 at once instead of failing once first.
 */
final class OwnOomScore {
  private static final Logger log = LoggerFactory.getLogger(OwnOomScore.class);

  /** What writing the score did. */
  enum Outcome {
    APPLIED,
    /** Refused although the agent runs as root: the kernel refuses this value for everyone. */
    REFUSED_BY_KERNEL,
    /**
     * Refused or unreadable for a reason that says nothing about the engine (not root, no procfs).
     */
    NOT_APPLIED
  }

  private final Path procFile;
  private final boolean root;

  OwnOomScore(Path procFile, boolean root) {
    this.procFile = procFile;
    this.root = root;
  }

  /** This process's {@code /proc/self/oom_score_adj}; root is user id 0. */
  static OwnOomScore ofThisProcess() {
    return new OwnOomScore(Path.of("/proc/self/oom_score_adj"), isRoot());
  }

  Outcome apply(int value) {
    if (!Files.exists(procFile)) {
      log.info("no {}: the agent's oom_score_adj is left alone", procFile);
      return Outcome.NOT_APPLIED;
    }
    try {
      Files.writeString(procFile, Integer.toString(value));
      log.info("agent oom_score_adj set value={}", value);
      return Outcome.APPLIED;
    } catch (IOException e) {
      if (root && value < 0) {
        log.warn(
            "the kernel refuses a negative oom_score_adj, even from root: the agent keeps its score and "
                + "sandboxes get 0 instead of -998 value={} error={}",
            value,
            e.getMessage());
        return Outcome.REFUSED_BY_KERNEL;
      }
      log.warn(
          "could not set the agent's oom_score_adj value={} root={} error={}",
          value,
          root,
          e.getMessage());
      return Outcome.NOT_APPLIED;
    }
  }

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }
}
