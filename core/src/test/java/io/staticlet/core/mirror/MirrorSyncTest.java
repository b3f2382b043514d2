package io.staticlet.core.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.status.ContainerStateValue;
import io.staticlet.core.status.ContainerStatusValue;
import io.staticlet.core.status.PodConditionType;
import io.staticlet.core.status.PodConditionValue;
import io.staticlet.core.status.PodPhase;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.status.PodStatusValue;
import io.staticlet.core.testing.ManualClock;
import io.staticlet.core.testing.ManualScheduler;
import io.staticlet.core.testing.TestPods;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MirrorSyncTest {
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final PodStatusStore store = new PodStatusStore();
  private final FakeMirrorPublisher api = new FakeMirrorPublisher();
  private final Set<PodKey> stillLocal = new HashSet<>();
  private final MirrorSync sync =
      new MirrorSync(store, api, stillLocal::contains, clock, scheduler, MirrorSettings.defaults());

  private final StaticPod web = TestPods.pod("web").container("nginx", "nginx:1.25").build();
  private final PodKey key = web.key();

  @BeforeEach
  void start() {
    sync.start();
  }

  @AfterEach
  void stop() {
    sync.close();
  }

  private void drain() {
    while (sync.processNext()) {
      // step the loop until nothing is due
    }
  }

  private void after(Duration duration) {
    scheduler.advance(duration);
    drain();
  }

  private static PodStatusValue running(int restarts, String ready) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    boolean isReady = "True".equals(ready);
    return new PodStatusValue(
        PodPhase.RUNNING,
        "",
        "",
        List.of(new PodConditionValue(PodConditionType.READY, isReady, "", "", t)),
        "10.0.0.5",
        List.of("172.17.0.2"),
        "BestEffort",
        Optional.empty(),
        List.of(),
        List.of(
            new ContainerStatusValue(
                "nginx",
                "nginx:1.25",
                "",
                "docker://abc",
                new ContainerStateValue.Running(t),
                Optional.empty(),
                isReady,
                true,
                restarts)));
  }

  private MirrorPod mirror() {
    return api.mirror(key).orElseThrow(() -> new AssertionError("no mirror for " + key));
  }

  private MirrorPod published() {
    store.update(web, running(0, "True"));
    drain();
    return mirror();
  }

  @Test
  void publishesMirrorWithStatusWhenPodFirstHasStatus() {
    MirrorPod mirror = published();

    assertEquals(web.configHash(), mirror.configMirror());
    assertEquals("node-uid-1", mirror.ownerNodeUid());
    assertEquals("Running", mirror.status().phase());
    assertEquals(1, api.count("create"));
    assertEquals(1, api.statusWrites.size());
    assertEquals("", sync.mirrorError(key));
  }

  @Test
  void writesStatusOnlyWhenItChanges() {
    published();

    store.update(web, running(0, "True"));
    drain();
    after(Duration.ofSeconds(30));
    assertEquals(
        1, api.statusWrites.size(), "unchanged status is not written again, not even on resync");

    store.update(web, running(1, "True"));
    drain();
    assertEquals(2, api.statusWrites.size());
    assertEquals(1, mirror().status().containers().get("nginx").restartCount());
    assertEquals(1, api.count("create"));
  }

  @Test
  void restartedAgentLeavesAMirrorThatAlreadyShowsItsStatus() {
    api.preload(web, web.configHash(), "node-uid-1");
    api.overwriteStatus(
        key,
        MirrorStatusSummary.of(running(0, "True"))); // as the previous run of the agent wrote it

    store.update(web, running(0, "True"));
    drain();
    after(Duration.ofSeconds(30));

    assertEquals(
        0, api.statusWrites.size(), "the adopted pod's mirror is neither patched nor re-created");
    assertEquals(0, api.count("create"));

    store.update(web, running(1, "True"));
    drain();
    assertEquals(1, api.statusWrites.size(), "a change is written as usual");
  }

  @Test
  void restartedAgentWritesAStatusThatChangedWhileItWasDown() {
    api.preload(web, web.configHash(), "node-uid-1");
    api.overwriteStatus(key, MirrorStatusSummary.of(running(0, "True")));

    store.update(web, running(1, "True")); // the container restarted meanwhile
    drain();

    assertEquals(1, api.statusWrites.size());
    assertEquals(1, mirror().status().containers().get("nginx").restartCount());
  }

  @Test
  void republishesMirrorRightAfterForcedDelete() {
    String before = published().uid();

    api.forceDelete(key);
    drain();

    MirrorPod after = mirror();
    assertNotEquals(before, after.uid());
    assertEquals("Running", after.status().phase(), "the new mirror gets its status written again");
    assertEquals(2, api.statusWrites.size());
  }

  @Test
  void replacesMirrorThatIsBeingDeleted() {
    String before = published().uid();

    api.kubectlDelete(key);
    drain();

    assertTrue(
        api.calls.contains("delete " + key + " " + before),
        "confirms the deletion of exactly that UID");
    MirrorPod after = mirror();
    assertNotEquals(before, after.uid());
    assertFalse(after.terminating());
    assertEquals("Running", after.status().phase());
  }

  @Test
  void replacesMirrorWhenConfigHashChanges() {
    String before = published().uid();
    StaticPod edited = TestPods.pod("web").container("nginx", "nginx:1.26").build();
    assertNotEquals(web.configHash(), edited.configHash());

    store.update(edited, running(0, "True"));
    drain();

    MirrorPod after = mirror();
    assertNotEquals(before, after.uid());
    assertEquals(edited.configHash(), after.configMirror());
    assertEquals("nginx:1.26", after.images().get("nginx"));
  }

  @Test
  void republishesMirrorWhoseImageWasEditedSoItShowsWhatRuns() {
    String before = published().uid();

    api.setImage(key, "nginx", "evil:latest");
    drain();

    MirrorPod after = mirror();
    assertNotEquals(before, after.uid());
    assertEquals("nginx:1.25", after.images().get("nginx"));
  }

  @Test
  void deletesOrphanedMirror() {
    StaticPod gone = TestPods.pod("old").container("c", "busybox").build();
    api.preload(gone, gone.configHash(), "node-uid-1");
    String uid = api.mirror(gone.key()).orElseThrow().uid();

    drain();

    assertTrue(api.mirror(gone.key()).isEmpty());
    assertTrue(api.calls.contains("delete " + gone.key() + " " + uid));
  }

  @Test
  void keepsMirrorOfPodThatMayStillExistLocally() {
    stillLocal.add(key);
    api.preload(web, web.configHash(), "node-uid-1");
    String uid = mirror().uid();
    drain();
    assertEquals(uid, mirror().uid(), "not deleted while the agent is still adopting its pods");

    store.update(web, running(0, "True"));
    drain();

    assertEquals(uid, mirror().uid(), "an agent restart keeps the mirror");
    assertEquals(0, api.count("create"));
    assertEquals("Running", mirror().status().phase());
  }

  @Test
  void deletesMirrorOnlyAfterPodIsRemovedFromStore() {
    published();

    after(Duration.ofSeconds(10));
    assertTrue(api.mirror(key).isPresent());

    store.remove(key);
    drain();

    assertTrue(api.mirror(key).isEmpty());
  }

  @Test
  void waitsForNodeThenPublishesWithItsUid() {
    api.nodeUid(null);
    store.update(web, running(0, "True"));
    drain();
    assertTrue(api.mirror(key).isEmpty());
    assertEquals(0, api.count("create"));
    assertTrue(sync.mirrorError(key).contains("Node"));

    api.nodeUid("node-uid-2");
    api.announceResync("node registered");
    drain();

    assertEquals("node-uid-2", mirror().ownerNodeUid());
    assertEquals("", sync.mirrorError(key));
  }

  @Test
  void neitherCreatesNorDeletesBeforeTheCacheHasSynced() {
    api.preload(web, web.configHash(), "node-uid-1");
    String uid = mirror().uid();
    api.cacheSynced(false);
    StaticPod other = TestPods.pod("db").container("redis", "redis:7").build();
    store.update(other, running(0, "True"));
    drain();
    assertEquals(0, api.count("create"));
    assertEquals(0, api.count("delete"));
    assertTrue(sync.mirrorError(other.key()).contains("waiting"));

    api.cacheSynced(true);
    api.announceResync("pod cache synced");
    drain();

    assertTrue(api.mirror(other.key()).isPresent());
    assertTrue(api.mirror(key).isEmpty(), "the orphan goes once the cache is known to be complete");
    assertTrue(api.calls.contains("delete " + key + " " + uid));
  }

  @Test
  void replacesMirrorOwnedByEarlierNodeObject() {
    String before = published().uid();

    api.nodeUid("node-uid-2");
    api.announceResync("node re-registered");
    drain();

    assertNotEquals(before, mirror().uid());
    assertEquals("node-uid-2", mirror().ownerNodeUid());
  }

  @Test
  void showsRefusalOnPodAndRetriesWithBackOff() {
    api.reject("default", "namespaces \"default\" not found");
    store.update(web, running(0, "True"));
    drain();

    assertEquals("namespaces \"default\" not found", sync.mirrorError(key));
    assertEquals(1, api.count("create"));
    after(Duration.ofMillis(199));
    assertEquals(1, api.count("create"), "first retry after 200 ms");
    after(Duration.ofMillis(1));
    assertEquals(2, api.count("create"));
    store.update(web, running(1, "True"));
    drain();
    assertEquals(2, api.count("create"), "a status change does not bypass the back-off");
    after(Duration.ofMillis(400));
    assertEquals(3, api.count("create"), "then 400 ms");

    api.reject("default", null);
    after(Duration.ofMillis(800));

    assertEquals(4, api.count("create"));
    assertTrue(api.mirror(key).isPresent());
    assertEquals("", sync.mirrorError(key));
  }

  @Test
  void refusedMirrorIsRetriedAtMostEvery30Seconds() {
    api.reject("default", "forbidden");
    store.update(web, running(0, "True"));
    drain();

    after(Duration.ofMinutes(5));
    long attempts = api.count("create");
    after(Duration.ofMinutes(1));

    assertTrue(
        api.count("create") - attempts <= 2, "capped at 30 s, resync included: " + api.calls);
  }

  @Test
  void repairsMirrorsAndStatusWithinSecondsOfApiServerReturn() {
    published();
    api.unavailable(true);
    store.update(web, running(3, "True"));
    StaticPod added = TestPods.pod("db").container("redis", "redis:7").build();
    store.update(added, running(0, "True"));
    drain();
    after(Duration.ofMinutes(2));
    long attemptsDuringOutage = api.calls.size();
    assertTrue(
        attemptsDuringOutage < 2 * 2 * 60,
        "at most one attempt per key every 2 s: " + attemptsDuringOutage);

    api.unavailable(false);
    after(Duration.ofSeconds(2));

    assertEquals(3, mirror().status().containers().get("nginx").restartCount());
    assertEquals("Running", api.mirror(added.key()).orElseThrow().status().phase());
  }

  @Test
  void rewritesStatusAnotherWriterChanged() {
    published();

    api.overwriteStatus(key, MirrorStatusSummary.of(running(0, "False")));
    drain();

    assertEquals(2, api.statusWrites.size());
    assertEquals("True", mirror().status().conditions().get("Ready"));
  }

  @Test
  void periodicResyncRepairsALostWatchEvent() {
    String before = published().uid();
    api.loseSilently(key);
    drain();
    assertTrue(api.mirror(key).isEmpty());

    after(Duration.ofSeconds(10));

    assertNotEquals(before, mirror().uid());
  }

  @Test
  void writesStatusToTheMirrorThatReplacedADeletedOne() {
    published();
    api.kubectlDelete(key);
    api.forceDelete(key);
    drain();

    assertEquals(2, api.count("create"));
    assertEquals(mirror().uid(), api.calls.get(api.calls.size() - 1).split(" ")[2]);
  }
}
