package io.staticlet.core.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.manifest.ManifestSnapshot;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.status.PodStatusRenderer;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.testing.FakeContainerRuntime;
import io.staticlet.core.testing.ManualClock;
import io.staticlet.core.testing.TestLaunches;
import io.staticlet.core.testing.TestPods;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StartupListingTest {
  private final ManualClock clock = new ManualClock();
  private final FakeContainerRuntime runtime = new FakeContainerRuntime(clock);
  private final DesiredPods desired = new DesiredPods();
  private final PodStatusStore statusStore = new PodStatusStore();
  private final StaticPod web = TestPods.pod("web").container("nginx", "nginx:1.25").build();
  private final StaticPod db = TestPods.pod("db").container("pg", "postgres:16").build();

  private ReconcilerCollaborators collaborators() {
    return ReconcilerCollaborators.of(desired, runtime, TestLaunches.create(), statusStore, clock);
  }

  /** Both pods running, as a restarted agent finds them. */
  private void adopted() {
    desired.replace(new ManifestSnapshot(Map.of(web.key(), web, db.key(), db), List.of()));
    Reconciler before = new Reconciler(collaborators());
    before.reconcile(web.key());
    before.reconcile(db.key());
  }

  @Test
  void eachPodsFirstPassReadsTheListingAndTheNextOneAsksTheEngine() {
    adopted();
    StartupListing listing = new StartupListing(clock);
    listing.record(runtime.listManaged());
    Reconciler restarted = new Reconciler(collaborators(), listing);
    runtime.failNext(1); // the engine fails the next listing anybody asks for

    SyncOutcome first = restarted.reconcile(web.key());
    SyncOutcome second = restarted.reconcile(web.key());

    assertInstanceOf(SyncOutcome.Converged.class, first);
    assertEquals(
        "Running",
        PodStatusRenderer.render(statusStore.get(web.key()).orElseThrow().status()).getPhase());
    assertInstanceOf(SyncOutcome.RetryAfter.class, second, "the second pass lists for itself");
  }

  @Test
  void aPodTheListingDidNotSeeHasNoContainersAndAnEventMakesItsPassListForItself() {
    adopted();
    StartupListing listing = new StartupListing(clock);
    listing.record(runtime.listManaged());

    listing.changed(web.key());

    assertEquals(Optional.empty(), listing.take(web.key()));
    assertEquals(Optional.of(List.of()), listing.take(new PodKey("default", "new-manifest")));
    List<RuntimeContainer> dbContainers = listing.take(db.key()).orElseThrow();
    assertEquals(2, dbContainers.size(), "sandbox and pg: " + dbContainers);
    assertEquals(Optional.empty(), listing.take(db.key()), "served once");
  }

  @Test
  void anEventBeforeTheListingWasRecordedKeepsThatPodOut() {
    adopted();
    StartupListing listing = new StartupListing(clock);
    List<RuntimeContainer> listedBeforeTheEvent = runtime.listManaged();

    listing.changed(web.key());
    listing.record(listedBeforeTheEvent);

    assertEquals(Optional.empty(), listing.take(web.key()));
    assertTrue(listing.take(db.key()).isPresent());
  }

  @Test
  void aListingOlderThanItsMaximumAgeServesNobody() {
    adopted();
    StartupListing listing = new StartupListing(clock);
    listing.record(runtime.listManaged());

    clock.advance(StartupListing.MAX_AGE.plus(Duration.ofMillis(1)));

    assertEquals(Optional.empty(), listing.take(db.key()));
    assertEquals(Optional.empty(), listing.take(new PodKey("default", "new-manifest")));
  }

  @Test
  void noListingServesNobody() {
    assertEquals(Optional.empty(), new StartupListing(clock).take(web.key()));
  }
}
