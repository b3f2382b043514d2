package io.staticlet.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.testing.ManualClock;
import io.staticlet.core.testing.ManualScheduler;
import io.staticlet.core.time.Scheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestDirectorySourceTest {
  private static final PodKey WEB = new PodKey("default", "web-node1");
  private static final PodKey DB = new PodKey("default", "db-node1");
  private static final Duration DEBOUNCE = ManifestSource.Settings.DEFAULT_DEBOUNCE;
  private static final Duration PERIOD = ManifestSource.Settings.DEFAULT_FILE_CHECK_FREQUENCY;

  /** The watch thread does nothing: tests deliver watch events through {@code onWatchEvent}. */
  private static final ThreadFactory IDLE_WATCH_THREAD = body -> new Thread(() -> {});

  @TempDir Path root;
  private Path dir;
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final List<ManifestSnapshot> snapshots = new ArrayList<>();
  private ManifestDirectorySource source;

  @BeforeEach
  void createDirectory() throws IOException {
    dir = Files.createDirectory(root.resolve("manifests"));
  }

  @AfterEach
  void closeSource() {
    if (source != null) {
      source.close();
    }
  }

  @Test
  void firstListingIsDeliveredDuringStartEvenWhenEmpty() {
    start(dir);

    assertEquals(List.of(ManifestSnapshot.empty()), snapshots);
  }

  @Test
  void readsEveryManifestButNotHiddenFilesLeftoversOrSubdirectories() throws IOException {
    write("web.yaml", pod("web", "nginx:1"));
    write("db", pod("db", "postgres:16"));
    write(".hidden.yaml", pod("hidden", "busybox"));
    write("web.yaml~", pod("tilde", "busybox"));
    write("web.yaml.swp", pod("swp", "busybox"));
    write("web.yaml.bak", pod("bak", "busybox"));
    write("web.yaml.dpkg-old", pod("dpkg", "busybox"));
    write("web.yaml.rpmsave", pod("rpm", "busybox"));
    write("4913", "");
    Files.createDirectory(dir.resolve("nested"));
    Files.writeString(dir.resolve("nested/inner.yaml"), pod("inner", "busybox"));

    start(dir);

    assertEquals(Set.of(WEB, DB), latest().pods().keySet());
    assertEquals(List.of(), latest().errors());
  }

  @Test
  void followsSymlinksToFilesAndSkipsDanglingOnes() throws IOException {
    Path target = Files.writeString(root.resolve("elsewhere.yaml"), pod("web", "nginx:1"));
    Files.createSymbolicLink(dir.resolve("web.yaml"), target);
    Files.createSymbolicLink(dir.resolve("gone.yaml"), root.resolve("missing.yaml"));

    start(dir);

    assertEquals(Set.of(WEB), latest().pods().keySet());
    assertEquals(
        dir.resolve("web.yaml"),
        latest().pods().get(WEB).source(),
        "the link's path, not its target");
    assertEquals(List.of(), latest().errors());
  }

  @Test
  void vimSaveSequenceNeverStopsThePodBeforeTheSaveIsOverAndThenAppliesTheEdit()
      throws IOException {
    write("web.yaml", pod("web", "nginx:1"));
    start(dir);
    StaticPod before = latest().pods().get(WEB);

    step(() -> write("4913", ""), "4913");
    step(() -> Files.delete(dir.resolve("4913")), "4913");
    step(
        () -> Files.move(dir.resolve("web.yaml"), dir.resolve("web.yaml~")),
        "web.yaml",
        "web.yaml~");
    step(
        () -> Files.writeString(dir.resolve("web.yaml"), ""),
        "web.yaml"); // created, not yet written
    step(() -> Files.writeString(dir.resolve("web.yaml"), pod("web", "nginx:2")), "web.yaml");
    step(() -> Files.delete(dir.resolve("web.yaml~")), "web.yaml~");
    assertUnchangedSince(before);
    assertTrue(
        source.earlyRelistCount() >= 6,
        "every step was listed early: " + source.earlyRelistCount());
    scheduler.advance(DEBOUNCE);

    assertEquals(2, snapshots.size(), "one change, after the whole sequence");
    assertEquals("nginx:2", image(latest().pods().get(WEB)), "the edit is applied");
    assertEquals(List.of(), latest().errors());
  }

  @Test
  void sedInPlaceNeverStopsThePodBeforeTheRenameAndThenAppliesTheEdit() throws IOException {
    write("web.yaml", pod("web", "nginx:1"));
    start(dir);
    StaticPod before = latest().pods().get(WEB);

    // GNU sed -i: a temporary file "sed" + 6 characters in the same directory, written, renamed
    // over the original
    Path temp = dir.resolve("sedAx9kQ2");
    step(() -> Files.writeString(temp, ""), temp.getFileName().toString());
    step(() -> Files.writeString(temp, pod("web", "nginx:2")), temp.getFileName().toString());
    step(
        () -> Files.move(temp, dir.resolve("web.yaml"), StandardCopyOption.REPLACE_EXISTING),
        temp.getFileName().toString(),
        "web.yaml");
    assertUnchangedSince(before);
    scheduler.advance(DEBOUNCE);

    assertEquals(2, snapshots.size(), "one change, after the rename");
    assertEquals("nginx:2", image(latest().pods().get(WEB)));
    assertEquals(dir.resolve("web.yaml"), latest().pods().get(WEB).source());
    assertEquals(List.of(), latest().errors(), "the temporary file's duplicate is gone");
  }

  @Test
  void configMapVolumeSwapNeverStopsThePodBeforeTheSwapIsOverAndThenAppliesTheEdit()
      throws IOException {
    // the kubelet's atomic writer: user-visible links into ..data, which links to a timestamped
    // directory
    Path first = Files.createDirectory(dir.resolve("..2026_12_03_05_00_00.000000001"));
    Files.writeString(first.resolve("web.yaml"), pod("web", "nginx:1"));
    Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
    Files.createSymbolicLink(dir.resolve("web.yaml"), Path.of("..data/web.yaml"));
    start(dir);
    StaticPod before = latest().pods().get(WEB);

    Path second = dir.resolve("..2026_12_03_05_01_00.000000002");
    step(() -> Files.createDirectory(second), second.getFileName().toString());
    step(() -> Files.writeString(second.resolve("web.yaml"), pod("web", "nginx:2")));
    step(
        () -> Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName()),
        "..data_tmp");
    step(
        () ->
            Files.move(
                dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE),
        "..data_tmp",
        "..data");
    step(
        () -> {
          Files.delete(first.resolve("web.yaml"));
          Files.delete(first);
        },
        first.getFileName().toString());
    assertUnchangedSince(before);
    scheduler.advance(DEBOUNCE);

    assertEquals(2, snapshots.size(), "one change, after the swap");
    assertEquals("nginx:2", image(latest().pods().get(WEB)));
    assertEquals(List.of(), latest().errors());
  }

  @Test
  void inPlaceRewriteKeepsThePodThroughTheTruncatedStatesAndThenAppliesTheEdit()
      throws IOException {
    write("web.yaml", pod("web", "nginx:1"));
    start(dir);
    StaticPod before = latest().pods().get(WEB);
    String full = pod("web", "nginx:2");

    step(() -> Files.writeString(dir.resolve("web.yaml"), ""), "web.yaml"); // O_TRUNC
    step(
        () ->
            Files.writeString(
                dir.resolve("web.yaml"), full.substring(0, full.indexOf("containers"))),
        "web.yaml");
    step(() -> Files.writeString(dir.resolve("web.yaml"), full), "web.yaml");
    assertUnchangedSince(before);
    scheduler.advance(DEBOUNCE);

    assertEquals("nginx:2", image(latest().pods().get(WEB)));
    assertEquals(List.of(), latest().errors(), "no error of the half-written states is left");
  }

  @Test
  void createdManifestIsDeliveredAtOnceWithoutWaitingForTheQuietPeriod() throws IOException {
    start(dir);

    write("web.yaml", pod("web", "nginx:1"));
    source.onWatchEvent("web.yaml");
    scheduler.runDue(); // the clock does not move

    assertEquals(Set.of(WEB), latest().pods().keySet());
    assertEquals(
        1, source.relistCount(), "delivered by the early re-list, before any confirmation");
    scheduler.advance(DEBOUNCE);
    assertEquals(2, snapshots.size(), "the confirming re-list finds nothing more to deliver");
  }

  @Test
  void deletedManifestStopsItsPodOnlyOnceTheDirectoryWasQuiet() throws IOException {
    write("web.yaml", pod("web", "nginx:1"));
    start(dir);

    Files.delete(dir.resolve("web.yaml"));
    source.onWatchEvent("web.yaml");
    scheduler.advance(DEBOUNCE.minusMillis(1));
    assertEquals(Set.of(WEB), latest().pods().keySet(), "not yet confirmed");
    scheduler.advance(Duration.ofMillis(1));

    assertEquals(Set.of(), latest().pods().keySet());
  }

  @Test
  void newFileStartsAtOnceWhileAnotherFilesDeletionWaitsForConfirmation() throws IOException {
    write("web.yaml", pod("web", "nginx:1"));
    start(dir);

    Files.delete(dir.resolve("web.yaml"));
    write("db.yaml", pod("db", "postgres:16"));
    source.onWatchEvent("web.yaml");
    source.onWatchEvent("db.yaml");
    scheduler.runDue();
    assertEquals(Set.of(WEB, DB), latest().pods().keySet());
    scheduler.advance(DEBOUNCE);

    assertEquals(Set.of(DB), latest().pods().keySet());
  }

  @Test
  void podRenamedInItsFileIsReplacedOnlyByTheConfirmingRelist() throws IOException {
    write("web.yaml", pod("web", "nginx:1"));
    start(dir);

    write("web.yaml", pod("web2", "nginx:1"));
    source.onWatchEvent("web.yaml");
    scheduler.runDue();
    assertEquals(
        Set.of(WEB),
        latest().pods().keySet(),
        "the file's new pod waits with the removal of its old one");
    scheduler.advance(DEBOUNCE);

    assertEquals(Set.of(new PodKey("default", "web2-node1")), latest().pods().keySet());
  }

  @Test
  void invalidNewFileIsReportedByTheConfirmingRelistOnly() throws IOException {
    start(dir);

    write("web.yaml", "kind: [unclosed\n");
    source.onWatchEvent("web.yaml");
    scheduler.runDue();
    assertEquals(List.of(), latest().errors(), "maybe still being written");
    scheduler.advance(DEBOUNCE);

    assertEquals(dir.resolve("web.yaml"), single(latest().errors()).file());
  }

  @Test
  void periodicTickInTheMiddleOfAnEditorSaveLeavesTheWorkToTheDebouncedRelist() throws IOException {
    write("web.yaml", pod("web", "nginx:1"));
    start(dir);
    scheduler.advance(PERIOD.minus(Duration.ofMillis(20)));

    step(
        () -> Files.move(dir.resolve("web.yaml"), dir.resolve("web.yaml~")),
        "web.yaml",
        "web.yaml~");
    scheduler.advance(
        Duration.ofMillis(30)); // the periodic tick falls due while web.yaml is missing
    step(() -> write("web.yaml", pod("web", "nginx:2")), "web.yaml");
    step(() -> Files.delete(dir.resolve("web.yaml~")), "web.yaml~");
    scheduler.advance(DEBOUNCE);

    assertAllSnapshotsContain(WEB);
    assertEquals(
        "nginx:2", latest().pods().get(WEB).pod().getSpec().getContainers().get(0).getImage());
  }

  @Test
  void resavingIdenticalContentChangesNothing() throws IOException {
    write("web.yaml", pod("web", "nginx:1"));
    start(dir);
    StaticPod first = latest().pods().get(WEB);

    clock.advance(Duration.ofMinutes(5));
    write("web.yaml", pod("web", "nginx:1"));
    source.onWatchEvent("web.yaml");
    scheduler.advance(DEBOUNCE);
    scheduler.advance(PERIOD);

    assertEquals(1, snapshots.size(), "no new snapshot when nothing changed");
    assertEquals(3, source.relistCount(), "start, debounce, period");
    assertSame(first, latest().pods().get(WEB));
  }

  @Test
  void firstSeenTimeSurvivesRelistsAndIsRenewedByAnEdit() throws IOException {
    write("web.yaml", pod("web", "nginx:1"));
    write("db.yaml", pod("db", "postgres:16"));
    start(dir);
    StaticPod web = latest().pods().get(WEB);

    clock.advance(Duration.ofMinutes(1));
    write("db.yaml", pod("db", "postgres:17"));
    source.relistNow();

    assertSame(web, latest().pods().get(WEB));
    assertEquals(clock.instant(), latest().pods().get(DB).seen());
    assertNotEquals(web.seen(), latest().pods().get(DB).seen());
  }

  @Test
  void invalidEditKeepsTheLastGoodPodUntilFixedOrRemoved() throws IOException {
    write("web.yaml", pod("web", "nginx:1"));
    start(dir);
    StaticPod good = latest().pods().get(WEB);

    write("web.yaml", pod("web", "nginx:2").replace("image:", "imagee:"));
    source.relistNow();

    assertSame(good, latest().pods().get(WEB), "the last good version keeps running");
    ManifestError error = single(latest().errors());
    assertEquals(dir.resolve("web.yaml"), error.file());
    assertEquals("spec.containers[0].image: Required value", error.message());
    assertEquals(WEB, error.pod());

    write("web.yaml", pod("web", "nginx:2"));
    source.relistNow();

    assertEquals(
        "nginx:2", latest().pods().get(WEB).pod().getSpec().getContainers().get(0).getImage());
    assertEquals(List.of(), latest().errors());

    write("web.yaml", "not: [valid");
    source.relistNow();
    assertEquals(Set.of(WEB), latest().pods().keySet());

    Files.delete(dir.resolve("web.yaml"));
    source.relistNow();

    assertEquals(ManifestSnapshot.empty(), latest());
  }

  @Test
  void fileThatWasNeverValidContributesOnlyAnError() throws IOException {
    write("web.yaml", pod("web", "nginx:1").replace("kind: Pod", "kind: Deployment"));

    start(dir);

    assertEquals(Set.of(), latest().pods().keySet());
    ManifestError error = single(latest().errors());
    assertEquals(
        "kind Deployment is not supported: a manifest file must hold one Pod", error.message());
    assertEquals(null, error.pod());
  }

  @Test
  void duplicatePodFirstFileInSortedOrderWinsAndTheOtherGetsAnErrorNamingBoth() throws IOException {
    write("b-web.yaml", pod("web", "nginx:2"));
    write("a-web.yaml", pod("web", "nginx:1"));

    start(dir);

    assertEquals(dir.resolve("a-web.yaml"), latest().pods().get(WEB).source());
    ManifestError error = single(latest().errors());
    assertEquals(dir.resolve("b-web.yaml"), error.file());
    assertEquals(
        "duplicate pod default/web-node1: already defined by " + dir.resolve("a-web.yaml"),
        error.message());

    Files.delete(dir.resolve("a-web.yaml"));
    source.relistNow();

    assertEquals(dir.resolve("b-web.yaml"), latest().pods().get(WEB).source());
    assertEquals(List.of(), latest().errors());
  }

  @Test
  void missingDirectoryIsReportedAndPickedUpOnceCreated() throws IOException {
    Path missing = root.resolve("not-yet/manifests");

    start(missing);

    assertEquals(Set.of(), latest().pods().keySet());
    ManifestError error = single(latest().errors());
    assertEquals(missing, error.file());
    assertEquals("path does not exist", error.message());
    assertFalse(source.isWatching());

    Files.createDirectories(missing);
    Files.writeString(missing.resolve("web.yaml"), pod("web", "nginx:1"));
    scheduler.advance(PERIOD);

    assertEquals(Set.of(WEB), latest().pods().keySet());
    assertEquals(List.of(), latest().errors());
    assertTrue(source.isWatching(), "the watch is established at the periodic re-list");
  }

  @Test
  void missingDirectoryWithExistingParentIsNoticedThroughTheParentWatch() throws IOException {
    Files.delete(dir);
    start(dir);
    assertTrue(source.isWatching(), "watching the parent for the directory to appear");

    source.onWatchEvent("unrelated");
    scheduler.advance(DEBOUNCE);
    assertEquals(1, source.relistCount(), "events for other names in the parent are ignored");

    Files.createDirectory(dir);
    write("web.yaml", pod("web", "nginx:1"));
    source.onWatchEvent("manifests");
    scheduler.advance(DEBOUNCE);

    assertEquals(Set.of(WEB), latest().pods().keySet());
    assertTrue(source.isWatching());
  }

  @Test
  void vanishedDirectoryStopsItsPodsAndTheyReturnWithIt() throws IOException {
    write("web.yaml", pod("web", "nginx:1"));
    start(dir);
    String uid = latest().pods().get(WEB).uid();

    Files.delete(dir.resolve("web.yaml"));
    Files.delete(dir);
    source.onWatchEvent(null);
    scheduler.advance(DEBOUNCE);
    assertEquals(Set.of(WEB), latest().pods().keySet(), "kept while the grace runs");
    scheduler.advance(ManifestDirectorySource.PATH_GONE_GRACE);

    assertEquals(Set.of(), latest().pods().keySet());
    assertEquals("path does not exist", single(latest().errors()).message());

    Files.createDirectory(dir);
    write("web.yaml", pod("web", "nginx:1"));
    scheduler.advance(PERIOD);

    assertEquals(uid, latest().pods().get(WEB).uid(), "same file, same content: same UID");
  }

  @Test
  void directoryDeletedAndRecreatedWithinTheGraceRestartsNothing() throws IOException {
    write("web.yaml", pod("web", "nginx:1"));
    start(dir);
    StaticPod before = latest().pods().get(WEB);
    int delivered = snapshots.size();

    Files.delete(dir.resolve("web.yaml"));
    Files.delete(dir);
    source.onWatchEvent(null);
    scheduler.advance(DEBOUNCE);
    assertSame(before, latest().pods().get(WEB));
    assertEquals(
        "path does not exist; its pods are stopped if it is still missing 2 s after it vanished",
        single(latest().errors()).message());

    Files.createDirectory(dir);
    write("web.yaml", pod("web", "nginx:1"));
    scheduler.advance(ManifestDirectorySource.PATH_GONE_GRACE);

    assertSame(before, latest().pods().get(WEB), "same pod object: nothing restarts");
    assertEquals(List.of(), latest().errors());
    assertTrue(snapshots.stream().skip(delivered).allMatch(s -> s.pods().get(WEB) == before));
  }

  @Test
  void directoryRecreatedEmptyBeforeItsFilesAreCopiedBackRestartsNothing() throws IOException {
    write("web.yaml", pod("web", "nginx:1"));
    start(dir);
    StaticPod before = latest().pods().get(WEB);

    Files.delete(dir.resolve("web.yaml"));
    Files.delete(dir);
    source.onWatchEvent(null);
    scheduler.advance(DEBOUNCE);
    Files.createDirectory(dir);
    source.relistNow(); // a re-list between mkdir and the copy of the files
    assertSame(before, latest().pods().get(WEB));
    assertTrue(
        single(latest().errors()).message().startsWith("path was recreated empty; "),
        latest().errors().toString());

    write("web.yaml", pod("web", "nginx:1"));
    scheduler.advance(ManifestDirectorySource.PATH_GONE_GRACE);
    assertSame(before, latest().pods().get(WEB));
    assertEquals(List.of(), latest().errors());
  }

  @Test
  void directoryRecreatedEmptyStopsItsPodsOnceTheGraceIsOver() throws IOException {
    write("web.yaml", pod("web", "nginx:1"));
    start(dir);

    Files.delete(dir.resolve("web.yaml"));
    Files.delete(dir);
    source.onWatchEvent(null);
    scheduler.advance(DEBOUNCE);
    Files.createDirectory(dir);
    scheduler.advance(ManifestDirectorySource.PATH_GONE_GRACE);

    assertEquals(ManifestSnapshot.empty(), latest());
  }

  @Test
  void unreadableDirectoryKeepsEveryPodAndReportsTheErrorUntilItClears() throws IOException {
    write("web.yaml", pod("web", "nginx:1"));
    write("db.yaml", pod("db", "postgres:16"));
    start(dir);
    ManifestSnapshot good = latest();
    Path moved = Files.move(dir, root.resolve("moved"));
    Files.createSymbolicLink(
        dir, dir); // ELOOP: an error other than "does not exist", and root cannot bypass it

    scheduler.advance(PERIOD.multipliedBy(3));

    assertEquals(good.pods(), latest().pods());
    ManifestError error = single(latest().errors());
    assertEquals(dir, error.file());
    assertTrue(
        error.message().startsWith("cannot access path: ")
            && error.message().endsWith("; keeping its pods until it can be read again"),
        error.message());

    Files.delete(dir);
    Files.move(moved, dir);
    scheduler.advance(PERIOD);

    assertEquals(good.pods(), latest().pods());
    assertEquals(List.of(), latest().errors());
  }

  @Test
  void pathWhoseParentIsAFileKeepsThePods() throws IOException {
    Path parent = Files.createDirectory(root.resolve("parent"));
    Path manifests = Files.createDirectory(parent.resolve("manifests"));
    Files.writeString(manifests.resolve("web.yaml"), pod("web", "nginx:1"));
    start(manifests);
    Map<PodKey, StaticPod> good = latest().pods();

    Files.delete(manifests.resolve("web.yaml"));
    Files.delete(manifests);
    Files.delete(parent);
    Files.writeString(parent, "a file"); // ENOTDIR, not ENOENT
    scheduler.advance(PERIOD);

    assertEquals(good, latest().pods());
    assertTrue(
        single(latest().errors()).message().startsWith("cannot access path: "),
        latest().errors().toString());
  }

  @Test
  void entryThatCannotBeStatedKeepsItsLastGoodPod() throws IOException {
    write("web.yaml", pod("web", "nginx:1"));
    start(dir);
    StaticPod good = latest().pods().get(WEB);

    Files.delete(dir.resolve("web.yaml"));
    Files.createSymbolicLink(dir.resolve("web.yaml"), dir.resolve("web.yaml")); // ELOOP
    source.relistNow();

    assertSame(good, latest().pods().get(WEB));
    ManifestError error = single(latest().errors());
    assertEquals(WEB, error.pod());
    assertTrue(error.message().startsWith("cannot read file: "), error.message());
  }

  @Test
  void fifoIsNeverOpenedAndGetsAnErrorNamingIt() throws Exception {
    write("web.yaml", pod("web", "nginx:1"));
    Path fifo = dir.resolve("x.yaml");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());

    start(dir); // would block forever if it opened the FIFO

    assertEquals(Set.of(WEB), latest().pods().keySet());
    ManifestError error = single(latest().errors());
    assertEquals(fifo, error.file());
    assertEquals("is a FIFO, not a regular file; skipped", error.message());
  }

  @Test
  void unknownFieldsRunThePodWithAWarningNamingFileAndFields() throws IOException {
    write("web.yaml", pod("web", "nginx:1") + "  futureField: true\n");

    start(dir);

    assertEquals(Set.of(WEB), latest().pods().keySet());
    assertEquals(List.of(), latest().errors());
    assertEquals(
        List.of(new ManifestWarning(dir.resolve("web.yaml"), WEB, List.of("spec.futureField"))),
        latest().warnings());
  }

  @Test
  void periodicRelistPicksUpChangesWithoutAnyEvent() throws IOException {
    start(dir);
    write("web.yaml", pod("web", "nginx:1"));

    scheduler.advance(PERIOD.minusMillis(1));
    assertEquals(Set.of(), latest().pods().keySet());
    scheduler.advance(Duration.ofMillis(1));

    assertEquals(Set.of(WEB), latest().pods().keySet());
  }

  @Test
  void burstOfEventsGivesOneRelistAfterTheQuietPeriod() throws IOException {
    start(dir);
    write("web.yaml", pod("web", "nginx:1"));

    for (int i = 0; i < 3; i++) {
      source.onWatchEvent("web.yaml");
      scheduler.advance(DEBOUNCE.minusMillis(50));
    }
    assertEquals(1, source.relistCount(), "still within the debounce window");
    scheduler.advance(Duration.ofMillis(50));

    assertEquals(2, source.relistCount());
    assertEquals(Set.of(WEB), latest().pods().keySet());
  }

  @Test
  void steadyStreamOfEventsCannotHoldTheRelistBackBeyondTheMaximum() {
    start(dir);

    for (int i = 0; i < 20; i++) {
      source.onWatchEvent("web.yaml");
      scheduler.advance(Duration.ofMillis(100));
    }

    // 2 s of events every 100 ms: one re-list at the latest every maxDebounce (1 s)
    assertEquals(3, source.relistCount());
  }

  @Test
  void singleFileIsReadAndOnlyItsOwnEventsTriggerARelist() throws IOException {
    write("web.yaml", pod("web", "nginx:1"));
    write("db.yaml", pod("db", "postgres:16"));
    start(dir.resolve("web.yaml"));

    assertEquals(Set.of(WEB), latest().pods().keySet());

    source.onWatchEvent("db.yaml");
    scheduler.advance(DEBOUNCE);
    assertEquals(1, source.relistCount());

    write("web.yaml", pod("web", "nginx:2"));
    source.onWatchEvent("web.yaml");
    scheduler.advance(DEBOUNCE);

    assertEquals(2, source.relistCount());
    assertEquals(
        "nginx:2", latest().pods().get(WEB).pod().getSpec().getContainers().get(0).getImage());
  }

  @Test
  void singleFileIsReadEvenWithALeftoverLikeName() throws IOException {
    write("web.yaml.bak", pod("web", "nginx:1"));

    start(dir.resolve("web.yaml.bak"));

    assertEquals(Set.of(WEB), latest().pods().keySet());
  }

  @Test
  void closedSourceNoLongerLists() throws IOException {
    start(dir);
    source.close();
    write("web.yaml", pod("web", "nginx:1"));

    source.onWatchEvent("web.yaml");
    source.relistNow();
    scheduler.advance(PERIOD);

    assertEquals(1, source.relistCount());
    assertEquals(0, scheduler.pending());
  }

  @Test
  void watchThreadIsNamedManifestWatch() {
    List<Thread> created = new ArrayList<>();
    source =
        new ManifestDirectorySource(
            dir,
            "node1",
            ManifestSource.Settings.defaults(),
            clock,
            scheduler,
            body -> {
              Thread thread = new Thread(() -> {});
              created.add(thread);
              return thread;
            },
            snapshots::add);
    source.start();

    assertEquals("manifest-watch", single(created).getName());
  }

  /**
   * The one test with the real JDK watch: a created file schedules the early re-list, with no
   * delay.
   */
  @Test
  void realFileSystemEventSchedulesTheEarlyRelist() throws Exception {
    BlockingQueue<Duration> scheduled = new LinkedBlockingQueue<>();
    Scheduler signalling =
        new Scheduler() {
          @Override
          public Cancellable schedule(Duration delay, Runnable task) {
            Cancellable cancellable = scheduler.schedule(delay, task);
            scheduled.add(delay);
            return cancellable;
          }

          @Override
          public Cancellable scheduleAtFixedRate(Duration period, Runnable task) {
            return scheduler.scheduleAtFixedRate(period, task);
          }
        };
    source =
        new ManifestDirectorySource(
            dir,
            "node1",
            ManifestSource.Settings.defaults(),
            clock,
            signalling,
            Thread::new,
            snapshots::add);
    source.start();

    write("web.yaml", pod("web", "nginx:1"));

    assertEquals(
        Duration.ZERO, scheduled.poll(30, TimeUnit.SECONDS), "the watch reported the new file");
    scheduler.runDue();
    assertEquals(Set.of(WEB), latest().pods().keySet());
  }

  private void start(Path path) {
    source =
        new ManifestDirectorySource(
            path,
            "node1",
            ManifestSource.Settings.defaults(),
            clock,
            scheduler,
            IDLE_WATCH_THREAD,
            snapshots::add);
    source.start();
  }

  /** One file-system step of an editor: the change, its watch events, and a few milliseconds. */
  private void step(IoAction change, String... eventNames) throws IOException {
    change.run();
    for (String name : eventNames) {
      source.onWatchEvent(name);
    }
    scheduler.advance(Duration.ofMillis(5));
    assertAllSnapshotsContain(WEB);
  }

  /**
   * Every snapshot delivered after {@code before} holds that very pod object: nothing stopped or
   * restarted.
   */
  private void assertUnchangedSince(StaticPod before) {
    List<ManifestSnapshot> since =
        snapshots.subList(
            snapshots.indexOf(
                snapshots.stream()
                    .filter(s -> s.pods().get(before.key()) == before)
                    .findFirst()
                    .orElseThrow()),
            snapshots.size());
    for (ManifestSnapshot snapshot : since) {
      assertSame(
          before, snapshot.pods().get(before.key()), () -> "pod stopped or changed in " + snapshot);
    }
  }

  private static String image(StaticPod pod) {
    return pod.pod().getSpec().getContainers().get(0).getImage();
  }

  private void assertAllSnapshotsContain(PodKey key) {
    for (ManifestSnapshot snapshot : snapshots) {
      assertTrue(snapshot.pods().containsKey(key), () -> key + " missing from " + snapshot);
    }
  }

  private ManifestSnapshot latest() {
    return snapshots.get(snapshots.size() - 1);
  }

  private void write(String name, String content) throws IOException {
    Path temp = Files.writeString(root.resolve(".staging"), content);
    Files.move(temp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  private static <T> T single(List<T> list) {
    assertEquals(1, list.size(), list::toString);
    return list.get(0);
  }

  private static String pod(String name, String image) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
        spec:
          containers:
          - name: main
            image: %s
        """
        .formatted(name, image);
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }
}
