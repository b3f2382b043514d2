package io.staticlet.app.kubeletapi;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.RuntimeContainer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One sample of CPU and memory of the node and of the running containers of the static pods (their
 * current incarnation), for {@code /metrics/resource} and {@code /stats/summary}. Keeps the
 * previous CPU reading per container (and the node) to report a rate in nano-cores.
 */
final class ResourceSampler {
  record ContainerSample(String name, Instant startedAt, CgroupStats.Usage usage, Long nanoCores) {}

  record PodSample(StaticPod pod, List<ContainerSample> containers) {}

  record NodeSample(CgroupStats.NodeUsage usage, Long nanoCores) {}

  /** What one scrape saw; {@code error} is set when some reading failed (scrape_error 1). */
  record Sample(Instant time, Optional<NodeSample> node, List<PodSample> pods, boolean error) {}

  private record Reading(Instant at, long cpuNanos) {}

  private final Supplier<Map<PodKey, StaticPod>> pods;
  private final ContainerRuntime runtime;
  private final CgroupStats cgroups;
  private final Clock clock;
  private final Map<String, Reading> previous = new HashMap<>(); // guarded by this

  ResourceSampler(
      Supplier<Map<PodKey, StaticPod>> pods,
      ContainerRuntime runtime,
      CgroupStats cgroups,
      Clock clock) {
    this.pods = pods;
    this.runtime = runtime;
    this.cgroups = cgroups;
    this.clock = clock;
  }

  synchronized Sample sample() {
    Instant now = clock.instant();
    boolean error = false;
    Optional<NodeSample> node;
    try {
      CgroupStats.NodeUsage usage = cgroups.node();
      node = Optional.of(new NodeSample(usage, rate("", now, usage.usage().cpuNanos())));
    } catch (IOException | RuntimeException e) {
      node = Optional.empty();
      error = true;
    }
    List<RuntimeContainer> containers;
    try {
      containers = runtime.listManaged();
    } catch (RuntimeException e) {
      return new Sample(now, node, List.of(), true);
    }
    Map<String, Reading> seen = new HashMap<>();
    List<PodSample> result = new ArrayList<>();
    for (StaticPod pod : pods.get().values()) {
      List<ContainerSample> samples = new ArrayList<>();
      for (RuntimeContainer c : containers) {
        if (c.isSandbox()
            || !c.isRunning()
            || !c.pod().equals(pod.key())
            || !c.podUid().equals(pod.uid())) {
          continue;
        }
        Optional<CgroupStats.Usage> usage = cgroups.container(c.id());
        if (usage.isEmpty()) {
          error = true;
          continue;
        }
        samples.add(
            new ContainerSample(
                c.name(), c.startedAt(), usage.get(), rate(c.id(), now, usage.get().cpuNanos())));
        seen.put(c.id(), previous.get(c.id()));
      }
      result.add(new PodSample(pod, samples));
    }
    previous.keySet().removeIf(id -> !id.isEmpty() && !seen.containsKey(id));
    return new Sample(now, node, result, error);
  }

  /** Nano-cores since the previous reading of {@code key}, or null on the first. */
  private Long rate(String key, Instant now, long cpuNanos) {
    Reading last = previous.put(key, new Reading(now, cpuNanos));
    if (last == null || !now.isAfter(last.at()) || cpuNanos < last.cpuNanos()) {
      return null;
    }
    long elapsedNanos = Duration.between(last.at(), now).toNanos();
    return (long) ((double) (cpuNanos - last.cpuNanos()) / elapsedNanos * 1_000_000_000L);
  }
}
