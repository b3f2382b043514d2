package io.staticlet.app;

import io.staticlet.app.config.AgentConfig;
import io.staticlet.app.http.AgentHttpServer;
import io.staticlet.app.http.AgentHttpServer.Response;
import io.staticlet.app.http.PodListRenderer;
import io.staticlet.app.kubeletapi.ClusterAccessReviews;
import io.staticlet.app.kubeletapi.Configz;
import io.staticlet.app.kubeletapi.ContainerLocator;
import io.staticlet.app.kubeletapi.KubeletApi;
import io.staticlet.app.kubeletapi.KubeletApiRoutes;
import io.staticlet.app.kubeletapi.StreamingEndpoint;
import io.staticlet.app.metrics.AgentMetrics;
import io.staticlet.app.probe.Probing;
import io.staticlet.core.container.ContainerLaunches;
import io.staticlet.core.events.EventBuffer;
import io.staticlet.core.events.EventRecorder;
import io.staticlet.core.events.KubeletEvents;
import io.staticlet.core.health.BeatingScheduler;
import io.staticlet.core.health.LoopHealth;
import io.staticlet.core.health.LoopHealth.Heartbeat;
import io.staticlet.core.manifest.ManifestDirectorySource;
import io.staticlet.core.manifest.ManifestSource;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.queue.WorkQueue;
import io.staticlet.core.reconcile.DesiredPods;
import io.staticlet.core.reconcile.FirstPasses;
import io.staticlet.core.reconcile.PodTriggers;
import io.staticlet.core.reconcile.PodWorkers;
import io.staticlet.core.reconcile.Reconciler;
import io.staticlet.core.reconcile.ReconcilerCollaborators;
import io.staticlet.core.reconcile.ReconcilerSettings;
import io.staticlet.core.reconcile.StartupListing;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.time.ThreadPoolScheduler;
import io.staticlet.core.time.Ticker;
import io.staticlet.mirror.ClusterAgent;
import io.staticlet.mirror.HostInfo;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the agent from its parts and owns their lifecycle: start in dependency order (adopt before
 * acting), stop in reverse. Stopping never touches containers: pods keep running (DECISIONS.md 13).
 */
public final class Agent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  private static final Duration DEBOUNCE = Duration.ofMillis(200);

  /** Added to a loop's period before /healthz calls it stalled. */
  private static final Duration STALL_MARGIN = Duration.ofSeconds(30);

  /**
   * A reconcile or mirror worker on one pod for longer than this is stuck (every call it makes has
   * a shorter deadline).
   */
  private static final Duration WORKER_STUCK = Duration.ofMinutes(3);

  /** The longest the kubelet API's start waits for the first passes of the pods listed at start. */
  private static final Duration FIRST_PASSES_MAX = Duration.ofSeconds(2);

  private final AgentConfig config;
  private final ContainerRuntime runtime;
  private final Clock clock = Clock.systemUTC();

  /** Delays and progress checks; the clock only for timestamps users see (DECISIONS.md 24). */
  private final Ticker ticker = Ticker.SYSTEM;

  private final LoopHealth loops = new LoopHealth(ticker);
  private final ExecutorService stopExecutor =
      Executors.newCachedThreadPool(NamedThreads.numbered("container-stop"));

  /**
   * The healthz port when bound before the agent was built (StaticletMain); else bound by start().
   */
  private final HealthzPort earlyHealthz;

  private final ParserWarmUp warmUp;

  private final ExecutorService httpExecutor =
      Executors.newFixedThreadPool(8, NamedThreads.numbered("http"));
  private final ThreadPoolScheduler scheduler =
      new ThreadPoolScheduler(2, NamedThreads.numbered("scheduler"));
  private final PodStatusStore statusStore = new PodStatusStore();
  private final DesiredPods desired = new DesiredPods();
  private final WorkQueue<PodKey> queue = new WorkQueue<>(clock);
  private final PodTriggers triggers;
  private final StartupListing startupListing = new StartupListing(clock);
  private final FirstPasses firstPasses = new FirstPasses();
  private final Probing probing;
  private final PodWorkers workers;
  private final EngineHealth engineHealth;
  private final OffSchedulerTask enginePing;
  private final OffSchedulerTask orphanSweep;
  private final ManifestDirectorySource manifests;
  private final AgentMetrics metrics = new AgentMetrics();

  /**
   * Pod events wait here for the cluster's publisher; standalone mode records none (the log has
   * them).
   */
  private final EventBuffer eventBuffer;

  private final List<AutoCloseable> closeables = new ArrayList<>();

  /**
   * Cluster mode only, built by {@link ClusterMode}; null standalone (fabric8 is then never
   * loaded).
   */
  private volatile ClusterAgent cluster;

  /**
   * Kubelet API requests (authentication webhooks, log streams) block on these threads, not on the
   * event loop.
   */
  private final ExecutorService kubeletApiExecutor =
      Executors.newCachedThreadPool(NamedThreads.numbered("kubelet-api"));

  /** exec, attach, run and port-forward on the kubelet API; null: those paths answer 501. */
  private final StreamingEndpoint streaming;

  private final ContainerLocator locator;

  public Agent(AgentConfig config, ContainerRuntime runtime) {
    this(config, runtime, null, null, locator -> null);
  }

  /**
   * With the healthz port already bound ({@link HealthzPort#bind}; its owner closes it), the parser
   * warm-up already begun (null: begun by {@link #start}) and the streaming endpoint built on the
   * agent's container locator (it finds the containers behind kubelet API paths).
   */
  Agent(
      AgentConfig config,
      ContainerRuntime runtime,
      HealthzPort healthz,
      ParserWarmUp warmUp,
      Function<ContainerLocator, StreamingEndpoint> streaming) {
    this.earlyHealthz = healthz;
    this.warmUp = warmUp;
    this.config = config;
    this.runtime = runtime;
    ReconcilerSettings settings =
        new ReconcilerSettings(config.workers(), config.syncFrequency(), Duration.ofSeconds(2));
    this.eventBuffer = config.clusterMode() ? new EventBuffer() : null;
    KubeletEvents events =
        new KubeletEvents(
            metrics.countEvents(eventBuffer == null ? EventRecorder.NONE : eventBuffer), clock);
    if (eventBuffer != null) {
      metrics.bindEventBuffer(eventBuffer, () -> cluster == null ? 0 : cluster.eventsPending());
    }
    this.probing =
        new Probing(runtime, statusStore, desired::get, queue::add, scheduler, clock, events);
    Reconciler reconciler =
        new Reconciler(
            ReconcilerCollaborators.of(
                    desired,
                    runtime,
                    ContainerLaunches.onNode(config.rootDir()),
                    statusStore,
                    clock)
                .withHealth(probing.health())
                .withHooks(probing.hooks())
                .withEvents(events)
                .withStopExecutor(stopExecutor)
                .withSettings(settings),
            startupListing);
    this.workers =
        new PodWorkers(
            queue, reconciler, clock, settings, metrics.syncObserver().andThen(firstPasses));
    metrics.bindQueue(queue);
    metrics.bindStatusStore(statusStore, clock);
    metrics.bindDesiredPods(desired);
    this.triggers = new PodTriggers(desired, queue, runtime, scheduler, startupListing);
    ManifestEvents manifestEvents = new ManifestEvents(events);
    this.engineHealth = new EngineHealth(runtime, ticker);
    this.locator = new ContainerLocator(desired, runtime);
    this.streaming = streaming.apply(locator);
    this.enginePing = new OffSchedulerTask("engine-ping", engineHealth::check);
    Heartbeat orphanSweep =
        loops.heartbeat("orphan sweep", config.syncFrequency().multipliedBy(2).plus(STALL_MARGIN));
    this.orphanSweep =
        new OffSchedulerTask(
            "orphan-sweep",
            () -> {
              sweepOrphans();
              orphanSweep.beat();
            });
    Heartbeat relist =
        loops.heartbeat(
            "manifest re-list", config.fileCheckFrequency().multipliedBy(3).plus(STALL_MARGIN));
    this.manifests =
        new ManifestDirectorySource(
            config.staticPodPath(),
            config.nodeName(),
            new ManifestSource.Settings(config.fileCheckFrequency(), DEBOUNCE),
            clock,
            new BeatingScheduler(scheduler, relist),
            NamedThreads.single("manifest-watch"),
            snapshot -> {
              triggers.onSnapshot(snapshot);
              manifestEvents.onSnapshot(snapshot);
            });
  }

  /**
   * Starts everything; returns once the manifests were listed and the HTTP endpoints answer. The
   * healthz and read-only ports are served first, before any engine or cluster work (start-up
   * figures in docs/performance.md): {@code /healthz} answers with the problems of the loops
   * registered so far.
   */
  public void start() throws IOException {
    log.info(
        "starting staticlet node={} manifests={} rootDir={} engine={} mode={} sinceJvmStart={}ms",
        config.nodeName(),
        config.staticPodPath(),
        config.rootDir(),
        config.containerRuntimeEndpoint(),
        config.clusterMode() ? "cluster (" + config.kubeconfig() + ")" : "standalone",
        sinceJvmStartMillis());
    ParserWarmUp parserWarmUp =
        warmUp != null
            ? warmUp
            : ParserWarmUp.begin(config.staticPodPath(), config.nodeName(), clock);
    startHttp();
    closeables.add(runtime.watch(triggers));
    // after the watch began (an event makes its pod list for itself) and as early as that: the
    // first passes wait for it (100 adopted pods: one listing and 100 inspects)
    CompletableFuture<Void> listed = listContainersOnce();
    if (config.clusterMode()) {
      // never blocks: registration and mirrors run in their own loops, so start them first
      cluster =
          ClusterMode.start(
              config,
              statusStore,
              desired,
              runtime::version,
              clock,
              metrics.apiCallObserver(),
              eventBuffer);
      closeables.add(cluster);
      metrics.bindClientCertificateExpiry(cluster::certificateExpirySeconds);
    }
    engineHealth.check();
    parserWarmUp.await();
    manifests.start();
    closeables.add(manifests);
    listed.join();
    sweepOrphans();
    probing.start();
    closeables.add(probing);
    firstPasses.expect(desired.all().keySet());
    // after the first passes of the pods listed now (at most FIRST_PASSES_MAX): on 2 cores, Netty
    // and the serving certificate (~0.6 s of CPU) beside them delayed a restart's adopted pods;
    // joined below, so start() still returns once the kubelet API answers
    CompletableFuture<Void> kubeletApiStarted = startKubeletApi();
    workers.start(NamedThreads.numbered("reconcile"));
    closeables.add(workers);
    workers.reportTo(loops, WORKER_STUCK);
    loops.add("engine", engineHealth::problem);
    if (cluster != null) {
      ClusterAgent c = cluster;
      loops.add("mirror", () -> c.mirrorStuck(WORKER_STUCK));
      // expired, refused (401, or 403 as system:anonymous) or not obtainable: does not heal by
      // waiting
      loops.add("cluster credentials", c::credentialProblem);
    }
    closeables.add(enginePing);
    closeables.add(orphanSweep);
    scheduler.scheduleAtFixedRate(Duration.ofSeconds(5), enginePing::trigger);
    scheduler.scheduleAtFixedRate(config.syncFrequency(), orphanSweep::trigger);
    kubeletApiStarted.join();
    log.info(
        "staticlet started node={} pods={} manifestErrors={} sinceJvmStart={}ms",
        config.nodeName(),
        desired.all().size(),
        desired.errors().size(),
        sinceJvmStartMillis());
  }

  /**
   * For the start-up timeline in the log: the JVM's own uptime (the OS's process start time has 1-s
   * steps).
   */
  static long sinceJvmStartMillis() {
    return ManagementFactory.getRuntimeMXBean().getUptime();
  }

  /**
   * The one listing of every managed container each pod's first pass reads ({@link
   * StartupListing}), on its own thread; if the engine fails it, each pass lists for itself.
   */
  private CompletableFuture<Void> listContainersOnce() {
    return NamedThreads.runOnce(
        "startup-listing",
        () -> {
          try {
            List<RuntimeContainer> all = runtime.listManaged();
            startupListing.record(all);
            log.info(
                "containers listed for the first passes containers={} sinceJvmStart={}ms",
                all.size(),
                sinceJvmStartMillis());
          } catch (RuntimeException e) {
            log.warn(
                "cannot list the containers at start-up, each pod lists its own error={}",
                e.getMessage());
          }
        });
  }

  private void sweepOrphans() {
    try {
      triggers.sweepOrphans();
    } catch (RuntimeException e) {
      log.warn("cannot list containers for the orphan sweep, will retry error={}", e.getMessage());
    }
  }

  /** The mirror loop's error for {@code key} ("" when fine or standalone), for {@code /pods}. */
  private String mirrorError(PodKey key) {
    ClusterAgent connection = cluster;
    return connection == null ? "" : connection.mirrorError(key);
  }

  private void startHttp() throws IOException {
    PodListRenderer pods = new PodListRenderer(statusStore, desired, this::mirrorError);
    Supplier<Response> healthz =
        () -> {
          List<String> problems = loops.problems();
          return problems.isEmpty()
              ? Response.text(200, "ok")
              : Response.text(500, "unhealthy: " + String.join("; ", problems) + "\n");
        };
    Supplier<Response> clusterHealthz = () -> ClusterHealth.response(cluster);
    HealthzPort healthzPort = earlyHealthz;
    if (healthzPort == null) {
      healthzPort = HealthzPort.bind(config);
      if (healthzPort != null) {
        closeables.add(healthzPort);
      }
    }
    if (healthzPort != null) {
      healthzPort.serve(healthz, clusterHealthz);
    }
    if (config.readOnlyPort() > 0) {
      Map<String, Supplier<Response>> routes = new LinkedHashMap<>();
      routes.put("/healthz", healthz);
      routes.put("/healthz/cluster", clusterHealthz);
      routes.put("/pods", () -> Response.json(pods.json()));
      routes.put(
          "/metrics",
          () ->
              new Response(
                  200,
                  "text/plain; version=0.0.4; charset=utf-8",
                  metrics.scrape().getBytes(StandardCharsets.UTF_8)));
      AgentHttpServer server =
          new AgentHttpServer(config.address(), config.readOnlyPort(), routes, httpExecutor);
      server.start();
      closeables.add(server);
      log.info(
          "read-only API listening address={}:{} paths=/pods,/healthz,/metrics",
          config.address(),
          server.port());
    }
  }

  private CompletableFuture<Void> startKubeletApi() {
    PodListRenderer pods = new PodListRenderer(statusStore, desired, this::mirrorError);
    KubeletApiRoutes routes =
        new KubeletApiRoutes(
                () -> {
                  List<String> problems = loops.problems();
                  return KubeletApiRoutes.health(problems.isEmpty(), String.join("; ", problems));
                },
                () -> KubeletApiRoutes.health(workers.alive(), "sync loop stopped"),
                pods::json,
                metrics::scrape)
            .withContainerLogs(locator, runtime, clock)
            .withResourceStats(desired::all, runtime, config.nodeName(), clock)
            .withConfigz(Configz.render(config));
    KubeletApi api =
        new KubeletApi(
            config.kubeletApi(),
            config.address(),
            config.nodeName(),
            List.of(config.nodeIp().isBlank() ? HostInfo.defaultRouteAddress() : config.nodeIp()),
            config.certDir() != null ? config.certDir() : config.rootDir().resolve("pki"),
            cluster == null ? null : new ClusterAccessReviews(cluster.accessReviews()),
            routes,
            streaming,
            kubeletApiExecutor,
            scheduler,
            NamedThreads.numbered("kubelet-api-io"),
            clock);
    closeables.add(api);
    CompletableFuture<Void> started = new CompletableFuture<>();
    Thread starter =
        NamedThreads.numbered("kubelet-api-start")
            .newThread(
                () -> {
                  try {
                    if (firstPasses.await(FIRST_PASSES_MAX)) {
                      log.info(
                          "every pod listed at start had its first pass sinceJvmStart={}ms",
                          sinceJvmStartMillis());
                    } else {
                      log.info(
                          "kubelet API starting before every pod had its first pass waited={}s",
                          FIRST_PASSES_MAX.toSeconds());
                    }
                    api.start();
                    started.complete(null);
                  } catch (InterruptedException | RuntimeException | Error e) {
                    started.completeExceptionally(e);
                  }
                });
    starter.start();
    return started;
  }

  /**
   * Every loop makes progress, the engine answers and (cluster mode) the API credentials are
   * usable; an API server that is merely down does not count: the pods keep running.
   */
  public boolean healthy() {
    return loops.problems().isEmpty();
  }

  /** Stops the agent's loops and endpoints; containers keep running. */
  @Override
  public void close() {
    log.info("stopping staticlet (pods keep running)");
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        log.warn("error while stopping {}", closeables.get(i).getClass().getSimpleName(), e);
      }
    }
    scheduler.close();
    stopExecutor.shutdownNow();
    httpExecutor.shutdownNow();
    kubeletApiExecutor.shutdownNow();
    log.info("staticlet stopped");
  }
}
