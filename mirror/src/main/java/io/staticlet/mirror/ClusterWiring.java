package io.staticlet.mirror;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.staticlet.core.events.EventBuffer;
import io.staticlet.core.mirror.LocalPods;
import io.staticlet.core.mirror.MirrorSettings;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.time.Scheduler;
import io.staticlet.mirror.credentials.NodeCredentials;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Everything the cluster side is built from, assembled once by the app and handed to the one
 * constructor of {@link ClusterAgent}: nothing is set later. Every component has its own type, so
 * two cannot be swapped by position.
 *
 * <p>Ownership: the agent's core owns {@code store}, {@code localPods}, {@code runtimeVersion} and
 * {@code events} (the cluster side reads the store, drains the buffer and never writes the pods'
 * state); {@link ClusterAgent} owns everything it builds from the rest (API clients, informers,
 * loops, their threads) and releases it on close.
 *
 * @param settings node identity, registration, heartbeats and API budget
 * @param credentials where the API client's credentials come from (kubeconfig, TLS bootstrap,
 *     rotation); only the credential loop's thread calls it
 * @param store the pods' status: read by the mirror loop, which writes only mirror errors into it
 * @param localPods which pods the agent may still run, e.g. {@code key -> !desired.listedOnce() ||
 *     desired.get(key).isPresent()}: their mirrors are never deleted as orphans
 * @param runtimeVersion the container engine's version ({@code 20.10.24}); throwing or empty means
 *     the engine is down, and the Node reports NotReady. Called on the cluster scheduler: must
 *     answer quickly
 * @param events pod events to publish as v1 Events (the cluster side is the buffer's one consumer)
 * @param apiCalls hears every API call (metrics); called on the calling loop's thread, must not
 *     block
 * @param clock timestamps written to the API server
 * @param threads names and creates every thread of the cluster side
 * @param collaborators what a test (or an embedding) may replace; {@link Collaborators#real()}
 */
public record ClusterWiring(
    ClusterSettings settings,
    NodeCredentials credentials,
    PodStatusStore store,
    LocalPods localPods,
    Supplier<String> runtimeVersion,
    EventBuffer events,
    ApiCallObserver apiCalls,
    Clock clock,
    ThreadFactory threads,
    Collaborators collaborators) {
  public ClusterWiring {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(localPods, "localPods");
    Objects.requireNonNull(runtimeVersion, "runtimeVersion");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(apiCalls, "apiCalls");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(threads, "threads");
    Objects.requireNonNull(collaborators, "collaborators");
  }

  /**
   * Collaborators of the cluster side that a test or an embedding may replace.
   *
   * @param host the machine's facts for the Node (called each time a new API client is used)
   * @param clients builds the API client from the credentials' {@link Config}; null: the agent's
   *     tuned client ({@link KubeClients#fromConfig})
   * @param ownsClients close a client when it is replaced or the agent closes
   * @param nodeNameFieldSelector list pods with {@code spec.nodeName=<node>}; false only against
   *     fabric8's mock server, which answers that selector with nothing
   * @param mirror the mirror loop's workers, back-off and resync
   * @param credentialSteps runs every credential step (connect, renew, disk check) one at a time;
   *     null: a thread of the agent's own
   * @param random the rotation deadline's jitter, in [0, 1)
   */
  public record Collaborators(
      Supplier<HostInfo> host,
      Function<Config, KubernetesClient> clients,
      boolean ownsClients,
      boolean nodeNameFieldSelector,
      MirrorSettings mirror,
      Scheduler credentialSteps,
      DoubleSupplier random) {
    public Collaborators {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(mirror, "mirror");
      Objects.requireNonNull(random, "random");
    }

    /** The real ones: the detected host, the tuned client, default mirror settings, own threads. */
    public static Collaborators real() {
      return new Collaborators(
          HostInfo::detect, null, true, true, MirrorSettings.defaults(), null, Math::random);
    }

    /**
     * These, with every API client built by {@code clients} (closed by the agent only if {@code
     * owns}).
     */
    public Collaborators withClients(Function<Config, KubernetesClient> clients, boolean owns) {
      return new Collaborators(
          host, clients, owns, nodeNameFieldSelector, mirror, credentialSteps, random);
    }

    /** These, for fabric8's mock server: a fixed host, no {@code spec.nodeName} field selector. */
    public Collaborators forMockServer(HostInfo fixedHost) {
      return new Collaborators(
          () -> fixedHost, clients, ownsClients, false, mirror, credentialSteps, random);
    }

    /** These, with other mirror loop settings. */
    public Collaborators withMirror(MirrorSettings settings) {
      return new Collaborators(
          host, clients, ownsClients, nodeNameFieldSelector, settings, credentialSteps, random);
    }

    /** These, with the credential steps on {@code scheduler} and a fixed jitter. */
    public Collaborators withCredentialSteps(Scheduler scheduler, DoubleSupplier jitter) {
      return new Collaborators(
          host, clients, ownsClients, nodeNameFieldSelector, mirror, scheduler, jitter);
    }
  }
}
