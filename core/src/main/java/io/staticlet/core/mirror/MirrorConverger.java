package io.staticlet.core.mirror;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.status.PodStatusValue;
import io.staticlet.core.status.PodView;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One level-triggered pass for one key: reads what runs from the status store and the mirror from
 * the publisher's cache, and makes the mirror match: delete an orphan, replace a stale mirror
 * (being deleted, other hash, other images) with a fresh one, create a missing one, write a status
 * that differs. Classified publisher exceptions pass through to {@link MirrorSync}.
 */
final class MirrorConverger {
  private static final Logger log = LoggerFactory.getLogger(MirrorConverger.class);
  private static final int MAX_REPLACEMENTS_PER_PASS = 2;

  private final PodStatusStore store;
  private final MirrorPublisher publisher;
  private final LocalPods localPods;
  private final StatusLedger ledger = new StatusLedger();

  /** Mirrors we deleted that the cache may still show: treated as gone. */
  private final Map<PodKey, String> deletedUids = new ConcurrentHashMap<>();

  MirrorConverger(PodStatusStore store, MirrorPublisher publisher, LocalPods localPods) {
    this.store = store;
    this.publisher = publisher;
    this.localPods = localPods;
  }

  MirrorOutcome converge(PodKey key) {
    if (!publisher.cacheSynced()) {
      return MirrorOutcome.WAITING_FOR_CACHE;
    }
    Optional<PodView> view = store.get(key);
    Optional<MirrorPod> cached = cachedMirror(key);
    if (view.isEmpty()) {
      return removeOrphan(key, cached);
    }
    StaticPod pod = view.get().pod();
    Optional<String> nodeUid = publisher.nodeUid();
    MirrorPod mirror = cached.orElse(null);
    int replacements = 0;
    while (true) {
      if (mirror != null) {
        Optional<String> stale = MirrorDrift.staleReason(pod, mirror, nodeUid);
        if (stale.isEmpty()) {
          break;
        }
        if (replacements++ == MAX_REPLACEMENTS_PER_PASS) {
          return new MirrorOutcome.Retry("mirror still stale after re-creating it: " + stale.get());
        }
        log.info("replacing mirror pod={} uid={} reason={}", key, mirror.uid(), stale.get());
        delete(key, mirror);
        mirror = null;
      }
      if (nodeUid.isEmpty()) {
        return MirrorOutcome.WAITING_FOR_NODE;
      }
      mirror = publisher.create(pod);
      log.info("mirror published pod={} uid={} hash={}", key, mirror.uid(), mirror.configMirror());
    }
    return writeStatus(key, mirror, view.get().status());
  }

  private MirrorOutcome writeStatus(PodKey key, MirrorPod mirror, PodStatusValue desired) {
    if (!ledger.needsWrite(key, mirror, desired)) {
      return MirrorOutcome.CONVERGED;
    }
    if (!publisher.writeStatus(key, mirror.uid(), desired)) {
      ledger.forget(key);
      return new MirrorOutcome.Retry(
          "mirror " + mirror.uid() + " was replaced while its status was written");
    }
    ledger.written(key, mirror, desired);
    log.debug(
        "mirror status written pod={} uid={} phase={}",
        key,
        mirror.uid(),
        desired.phase().apiName());
    return MirrorOutcome.CONVERGED;
  }

  private MirrorOutcome removeOrphan(PodKey key, Optional<MirrorPod> cached) {
    ledger.forget(key);
    if (cached.isEmpty()) {
      return MirrorOutcome.CONVERGED;
    }
    if (localPods.mayExist(key)) {
      log.debug("mirror kept: its pod may still exist locally pod={}", key);
      return MirrorOutcome.CONVERGED;
    }
    log.info("deleting orphaned mirror pod={} uid={}", key, cached.get().uid());
    delete(key, cached.get());
    return MirrorOutcome.CONVERGED;
  }

  private void delete(PodKey key, MirrorPod mirror) {
    if (!publisher.delete(key, mirror.uid())) {
      log.debug("mirror already gone or replaced pod={} uid={}", key, mirror.uid());
    }
    deletedUids.put(key, mirror.uid());
  }

  private Optional<MirrorPod> cachedMirror(PodKey key) {
    Optional<MirrorPod> mirror = publisher.get(key);
    String gone = deletedUids.get(key);
    if (gone != null) {
      if (mirror.isPresent() && mirror.get().uid().equals(gone)) {
        return Optional.empty();
      }
      deletedUids.remove(key, gone);
    }
    return mirror;
  }
}
