package io.staticlet.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.staticlet.core.events.EventBuffer;
import io.staticlet.core.events.EventRecorder;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.queue.WorkQueue;
import io.staticlet.core.reconcile.DesiredPods;
import io.staticlet.core.reconcile.PodWorkers;
import io.staticlet.core.reconcile.SyncOutcome;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.mirror.ApiCallObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;

/**
 * The agent's Prometheus metrics (Micrometer; {@code /metrics} on the read-only port): JVM and
 * process metrics plus the {@code staticlet_*} families fed by the reconcile loop and the status
 * store. Micrometer adds the {@code _seconds}, {@code _total} suffixes.
 */
public final class AgentMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public AgentMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Pod sync duration and count by result, from every reconcile pass. */
  public PodWorkers.SyncObserver syncObserver() {
    return (PodKey key, SyncOutcome outcome, Duration took) ->
        Timer.builder("staticlet_pod_sync_duration")
            .description("Duration of one reconcile pass of one static pod, by result")
            .tag("result", result(outcome))
            .publishPercentileHistogram()
            .register(registry)
            .record(took);
  }

  private static String result(SyncOutcome outcome) {
    if (outcome instanceof SyncOutcome.Converged) {
      return "converged";
    }
    if (outcome instanceof SyncOutcome.Waiting) {
      return "waiting";
    }
    if (outcome instanceof SyncOutcome.RetryAfter) {
      return "error";
    }
    return "gone";
  }

  /**
   * Counts every pod event by type and reason ({@code staticlet_events_total}), in standalone mode
   * too, then hands it to {@code next}.
   */
  public EventRecorder countEvents(EventRecorder next) {
    return event -> {
      Counter.builder("staticlet_events")
          .description(
              "Pod events recorded (Created, Started, BackOff, Unhealthy, ...), by type and reason")
          .tag("type", event.type().apiValue())
          .tag("reason", event.reason())
          .register(registry)
          .increment();
      next.record(event);
    };
  }

  /**
   * Events dropped because the API server could not take them fast enough, and events still to be
   * written ({@code inPublisher}: taken from the buffer, not yet written).
   */
  public void bindEventBuffer(EventBuffer buffer, IntSupplier inPublisher) {
    Gauge.builder("staticlet_event_buffer_dropped", buffer, EventBuffer::dropped)
        .description("Events dropped from the full hand-over buffer (API server away or slow)")
        .register(registry);
    Gauge.builder("staticlet_events_pending", buffer, b -> b.size() + inPublisher.getAsInt())
        .description("Events recorded and not yet written to the API server")
        .register(registry);
  }

  public void bindQueue(WorkQueue<PodKey> queue) {
    Gauge.builder("staticlet_work_queue_depth", queue, WorkQueue::depth)
        .description("Pod keys queued, delayed or in flight in the reconcile queue")
        .register(registry);
  }

  public void bindStatusStore(PodStatusStore store, Clock clock) {
    Gauge.builder("staticlet_static_pods", store, s -> s.all().size())
        .description("Static pods known to the agent")
        .register(registry);
    store.addListener(new PodStatusMetrics(store, this, clock));
  }

  /** The manifest errors of the latest listing, from their owner. */
  public void bindDesiredPods(DesiredPods desired) {
    Gauge.builder("staticlet_manifest_errors", desired, d -> d.errors().size())
        .description("Manifest files currently rejected (each is logged and shown on /pods)")
        .register(registry);
  }

  void recordManifestToRunning(Duration latency) {
    Timer.builder("staticlet_manifest_to_running_duration")
        .description(
            "Time from a manifest being first seen to all of its containers running and ready")
        .publishPercentileHistogram()
        .register(registry)
        .record(latency);
  }

  void countRestarts(String namespace, int restarts) {
    Counter.builder("staticlet_container_restarts")
        .description("Container restarts performed by the agent")
        .tag("namespace", namespace)
        .register(registry)
        .increment(restarts);
  }

  /**
   * API calls of the cluster loops: {@code staticlet_api_requests_total{verb,resource,code}}, and
   * for writes of mirror pods {@code staticlet_mirror_write_duration_seconds{operation,result}}
   * plus {@code staticlet_mirror_write_errors_total{operation,reason}}.
   */
  public ApiCallObserver apiCallObserver() {
    return (verb, resource, code, outcome, took) -> {
      Counter.builder("staticlet_api_requests")
          .description(
              "Requests to the API server by verb, resource and HTTP code (2xx: success, 0: not reached)")
          .tag("verb", verb)
          .tag("resource", resource)
          .tag("code", code)
          .register(registry)
          .increment();
      if (resource.startsWith("pods") && !verb.equals("get")) {
        Timer.builder("staticlet_mirror_write_duration")
            .description("Latency of mirror pod writes (create, delete, status) by result")
            .tag("operation", resource.equals("pods/status") ? "status" : verb)
            .tag("result", outcome)
            .publishPercentileHistogram()
            .register(registry)
            .record(took);
        if (!outcome.equals("ok")) {
          Counter.builder("staticlet_mirror_write_errors")
              .description("Failed mirror pod writes by reason")
              .tag("operation", resource.equals("pods/status") ? "status" : verb)
              .tag("reason", outcome)
              .register(registry)
              .increment();
        }
      }
    };
  }

  public String scrape() {
    return registry.scrape();
  }

  /**
   * {@code staticlet_client_certificate_expiry_seconds}: seconds until the client certificate in
   * use expires (negative once expired; absent value NaN while there is none).
   */
  public void bindClientCertificateExpiry(DoubleSupplier secondsUntilExpiry) {
    Gauge.builder(
            "staticlet_client_certificate_expiry_seconds",
            () -> secondsUntilExpiry.getAsDouble()) // held strongly
        .description("Seconds until the API client certificate in use expires")
        .register(registry);
  }
}
