package io.staticlet.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import io.staticlet.core.container.TerminationMessages;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.runtime.ContainerLaunch;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.ContainerSpec;
import io.staticlet.core.runtime.ExecResult;
import io.staticlet.core.runtime.LogQuery;
import io.staticlet.core.runtime.LogSink;
import io.staticlet.core.runtime.ProcessOutput;
import io.staticlet.core.runtime.PullPolicy;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.runtime.RuntimeEvent;
import io.staticlet.core.runtime.RuntimeUnavailableException;
import io.staticlet.core.runtime.SandboxSpec;
import io.staticlet.core.runtime.StreamingOptions;
import io.staticlet.core.runtime.StreamingProcess;
import io.staticlet.core.volume.PodDirectories;
import io.staticlet.docker.DockerErrors.Operation;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerRuntime} on the Docker engine, dockershim-style: a "pause" sandbox per pod
 * attempt, containers joining its namespaces, the kubelet's names and labels. "Managed" means
 * labelled {@code io.staticlet.managed=true} <em>and</em> {@code io.staticlet.node=<this node>}:
 * agents of different nodes sharing one engine do not see each other's containers. Thread-safe;
 * every method may block on the engine. Failures arrive as core's runtime exceptions, translated
 * once in {@link DockerErrors}; this class logs no error it throws.
 */
public final class DockerContainerRuntime implements ContainerRuntime, AutoCloseable {
  /** The kubelet's {@code minimumGracePeriodInSeconds}. */
  static final long MIN_GRACE_SECONDS = 2;

  private static final Logger log = LoggerFactory.getLogger(DockerContainerRuntime.class);

  private final DockerRuntimeSettings settings;
  private final DockerClient docker;
  private final DockerClient streams;
  private final ThreadFactory eventThreads;
  private final ImagePuller images;
  private final SandboxLauncher sandboxes;
  private final ContainerConfigMapper containers;
  private final ContainerLister lister;
  private final ExecRunner execs;
  private final LogStreamer logs;
  private final PodDirectories dirs;
  private final StopWithDeadline stops;
  private final StreamingExecs streamingExecs;
  private final PortForwarder portForwarder;
  private volatile String detectedHostIp;

  /**
   * @param docker client for commands (bounded response timeout)
   * @param streams client for the event stream (no response timeout; see {@link
   *     DockerClientFactory#forStreams})
   * @param eventThreads makes the event-stream thread (named {@code docker-events} by the default)
   */
  public DockerContainerRuntime(
      DockerRuntimeSettings settings,
      DockerClient docker,
      DockerClient streams,
      ThreadFactory eventThreads) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.docker = Objects.requireNonNull(docker, "docker");
    this.streams = Objects.requireNonNull(streams, "streams");
    this.eventThreads = Objects.requireNonNull(eventThreads, "eventThreads");
    this.dirs = new PodDirectories(settings.rootDir());
    this.images = new ImagePuller(docker, streams);
    this.sandboxes =
        new SandboxLauncher(
            docker,
            images,
            settings.podInfraImage(),
            settings.nodeName(),
            settings.sandboxOomScoreAdj());
    this.containers =
        new ContainerConfigMapper(
            new SecurityContextMapper(images::configuredUser), settings.nodeName());
    this.lister = new ContainerLister(docker, new TerminationMessages(dirs), settings.nodeName());
    this.execs = new ExecRunner(docker);
    this.stops = new StopWithDeadline(DockerClientFactory.forStops(settings.endpoint()));
    this.logs = new LogStreamer(docker, streams);
    ThreadFactory streamThreads = streamThreads();
    this.streamingExecs = new StreamingExecs(docker, settings.endpoint(), execs, streamThreads);
    this.portForwarder = new PortForwarder(docker, streamThreads);
  }

  /** Connects to {@code settings.endpoint()} with the house defaults (docs/ecosystem.md B.5). */
  public static DockerContainerRuntime create(DockerRuntimeSettings settings) {
    return new DockerContainerRuntime(
        settings,
        DockerClientFactory.forCommands(settings.endpoint()),
        DockerClientFactory.forStreams(settings.endpoint()),
        DockerEventWatch.defaultThreads());
  }

  public DockerRuntimeSettings settings() {
    return settings;
  }

  @Override
  public List<RuntimeContainer> listManaged() {
    return lister.list();
  }

  @Override
  public Set<PodKey> managedPods() {
    return lister.pods();
  }

  @Override
  public List<RuntimeContainer> listManaged(PodKey pod) {
    return lister.list(pod);
  }

  @Override
  public void ensureImage(String image, PullPolicy pullPolicy) {
    images.ensure(image, pullPolicy);
  }

  @Override
  public String startSandbox(SandboxSpec sandbox) {
    String id = sandboxes.start(sandbox);
    log.debug(
        "sandbox started pod={} attempt={} id={}", sandbox.pod(), sandbox.attempt(), shortId(id));
    return id;
  }

  @Override
  public String createContainer(ContainerLaunch launch) {
    ContainerSpec spec = launch.spec();
    // no image check of its own: the caller ran ensureImage just before (a second inspect per
    // container, and a second pull with imagePullPolicy Always); a missing image fails the create
    // with "No such image", which DockerErrors reports as an ImagePullException all the same
    String what =
        "create "
            + launch.role().name().toLowerCase(Locale.ROOT)
            + " container "
            + spec.name()
            + " for "
            + launch.pod();
    String id =
        DockerErrors.call(
            Operation.CREATE,
            what,
            () -> containers.apply(docker.createContainerCmd(spec.image()), launch).exec().getId());
    log.debug(
        "container created pod={} container={} attempt={} id={}",
        launch.pod(),
        spec.name(),
        launch.attempt(),
        shortId(id));
    return id;
  }

  @Override
  public void start(String containerId) {
    try {
      docker.startContainerCmd(containerId).exec();
    } catch (NotModifiedException alreadyRunning) {
      // idempotent
    } catch (RuntimeException e) {
      throw DockerErrors.translate(Operation.START, "start container " + containerId, e);
    } finally {
      lister.invalidate(containerId);
    }
  }

  @Override
  public void stop(String containerId, Duration grace) {
    long seconds = Math.max(MIN_GRACE_SECONDS, grace == null ? 0 : (grace.toMillis() + 999) / 1000);
    try {
      stops.stop(containerId, (int) Math.min(Integer.MAX_VALUE / 2, seconds));
    } catch (NotModifiedException | NotFoundException alreadyStoppedOrGone) {
      // idempotent: stopping a stopped or missing container succeeds
    } catch (RuntimeException e) {
      throw DockerErrors.translate(Operation.CONTAINER, "stop container " + containerId, e);
    } finally {
      lister.invalidate(containerId);
    }
  }

  @Override
  public void remove(String containerId) {
    try {
      docker.removeContainerCmd(containerId).withForce(false).withRemoveVolumes(true).exec();
    } catch (NotFoundException gone) {
      // idempotent
    } catch (ConflictException e) {
      if (!DockerErrors.engineMessage(e).contains("already in progress")) {
        throw DockerErrors.translate(Operation.CONTAINER, "remove container " + containerId, e);
      }
    } catch (RuntimeException e) {
      throw DockerErrors.translate(Operation.CONTAINER, "remove container " + containerId, e);
    } finally {
      lister.invalidate(containerId);
    }
  }

  @Override
  public AutoCloseable streamLogs(String containerId, LogQuery query, LogSink sink) {
    return logs.stream(containerId, query, sink);
  }

  @Override
  public ExecResult exec(String containerId, List<String> command, Duration timeout) {
    return execs.exec(containerId, command, timeout);
  }

  @Override
  public StreamingProcess execStreaming(
      String containerId, List<String> command, StreamingOptions options, ProcessOutput output) {
    return streamingExecs.exec(containerId, command, options, output);
  }

  @Override
  public StreamingProcess attach(
      String containerId, StreamingOptions options, ProcessOutput output) {
    return streamingExecs.attach(containerId, options, output);
  }

  @Override
  public StreamingProcess portForward(String sandboxId, int port, ProcessOutput output) {
    return portForwarder.open(sandboxId, port, output);
  }

  @Override
  public void removePodResources(PodKey pod, String podUid) {
    try {
      dirs.deletePod(podUid);
    } catch (IOException e) {
      throw new RuntimeUnavailableException(
          "remove directory of pod " + pod + " uid " + podUid + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String hostIp() {
    if (!settings.hostIp().isEmpty()) {
      return settings.hostIp();
    }
    String ip = detectedHostIp;
    if (ip == null) {
      ip = HostIpResolver.detect();
      detectedHostIp = ip;
    }
    return ip;
  }

  @Override
  public String version() {
    try {
      return docker.versionCmd().exec().getVersion();
    } catch (RuntimeException e) {
      throw new RuntimeUnavailableException("docker version: " + DockerErrors.engineMessage(e), e);
    }
  }

  @Override
  public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
    return new DockerEventWatch(
            streams,
            settings.nodeName(),
            listener,
            lister::invalidate,
            this::listManaged,
            eventThreads)
        .start();
  }

  /** Closes both clients. Running containers are left alone (DECISIONS.md 13). */
  @Override
  public void close() throws IOException {
    try {
      lister.close();
      stops.close();
      docker.close();
    } finally {
      if (streams != docker) {
        streams.close();
      }
    }
  }

  /** Daemon threads {@code docker-stream-N} reading exec, attach and port-forward streams. */
  private static ThreadFactory streamThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, "docker-stream-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static String shortId(String id) {
    return id != null && id.length() > 12 ? id.substring(0, 12) : id;
  }
}
