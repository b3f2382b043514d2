package io.staticlet.app.kubeletapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.staticlet.core.status.KubeTime;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code /metrics/resource} (the kubelet 1.20 resource metrics, Prometheus text with timestamps)
 * and {@code /stats/summary} (CPU and memory of the node, pods and containers; {@code
 * only_cpu_and_memory} changes nothing, that is all there is), what metrics-server and {@code
 * kubectl top} read.
 */
final class ResourceRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ResourceSampler sampler;
  private final String nodeName;

  ResourceRoutes(ResourceSampler sampler, String nodeName) {
    this.sampler = sampler;
    this.nodeName = nodeName;
  }

  FullHttpResponse metrics() {
    ResourceSampler.Sample s = sampler.sample();
    long ms = s.time().toEpochMilli();
    StringBuilder out = new StringBuilder();
    header(
        out,
        "container_cpu_usage_seconds_total",
        "Cumulative cpu time consumed by the container in core-seconds",
        "counter");
    for (ResourceSampler.PodSample p : s.pods()) {
      for (ResourceSampler.ContainerSample c : p.containers()) {
        out.append("container_cpu_usage_seconds_total")
            .append(labels(c.name(), p))
            .append(' ')
            .append(number(c.usage().cpuNanos() / 1e9))
            .append(' ')
            .append(ms)
            .append('\n');
      }
    }
    header(
        out,
        "container_memory_working_set_bytes",
        "Current working set of the container in bytes",
        "gauge");
    for (ResourceSampler.PodSample p : s.pods()) {
      for (ResourceSampler.ContainerSample c : p.containers()) {
        out.append("container_memory_working_set_bytes")
            .append(labels(c.name(), p))
            .append(' ')
            .append(number(c.usage().workingSetBytes()))
            .append(' ')
            .append(ms)
            .append('\n');
      }
    }
    s.node()
        .ifPresent(
            n -> {
              header(
                  out,
                  "node_cpu_usage_seconds_total",
                  "Cumulative cpu time consumed by the node in core-seconds",
                  "counter");
              out.append("node_cpu_usage_seconds_total ")
                  .append(number(n.usage().usage().cpuNanos() / 1e9))
                  .append(' ')
                  .append(ms)
                  .append('\n');
              header(
                  out,
                  "node_memory_working_set_bytes",
                  "Current working set of the node in bytes",
                  "gauge");
              out.append("node_memory_working_set_bytes ")
                  .append(number(n.usage().usage().workingSetBytes()))
                  .append(' ')
                  .append(ms)
                  .append('\n');
            });
    header(
        out,
        "scrape_error",
        "1 if there was an error while getting container metrics, 0 otherwise",
        "gauge");
    out.append("scrape_error ").append(s.error() ? 1 : 0).append('\n');
    return Responses.bytes(
        HttpResponseStatus.OK,
        KubeletApiRoutes.PROMETHEUS,
        out.toString().getBytes(StandardCharsets.UTF_8));
  }

  FullHttpResponse summary() {
    ResourceSampler.Sample s = sampler.sample();
    String time = KubeTime.format(s.time());
    ObjectNode root = JSON.createObjectNode();
    ObjectNode node = root.putObject("node");
    node.put("nodeName", nodeName);
    s.node()
        .ifPresent(
            n -> {
              node.put(
                  "startTime", KubeTime.format(Instant.ofEpochSecond(n.usage().bootEpochSecond())));
              cpu(node, time, n.usage().usage().cpuNanos(), n.nanoCores());
              ObjectNode mem = memory(node, time, n.usage().usage());
              mem.put("availableBytes", n.usage().availableBytes());
            });
    ArrayNode pods = root.putArray("pods");
    for (ResourceSampler.PodSample p : s.pods()) {
      ObjectNode pod = pods.addObject();
      pod.putObject("podRef")
          .put("name", p.pod().key().name())
          .put("namespace", p.pod().key().namespace())
          .put("uid", p.pod().uid());
      pod.put("startTime", KubeTime.format(p.pod().seen()));
      ArrayNode containers = pod.putArray("containers");
      long cpu = 0;
      long working = 0;
      long usage = 0;
      long rss = 0;
      Long cores = 0L;
      for (ResourceSampler.ContainerSample c : p.containers()) {
        ObjectNode container = containers.addObject();
        container.put("name", c.name());
        if (c.startedAt() != null) {
          container.put("startTime", KubeTime.format(c.startedAt()));
        }
        cpu(container, time, c.usage().cpuNanos(), c.nanoCores());
        memory(container, time, c.usage());
        cpu += c.usage().cpuNanos();
        working += c.usage().workingSetBytes();
        usage += c.usage().usageBytes();
        rss += c.usage().rssBytes();
        cores = cores == null || c.nanoCores() == null ? null : cores + c.nanoCores();
      }
      cpu(pod, time, cpu, p.containers().isEmpty() ? null : cores);
      memory(pod, time, new CgroupStats.Usage(cpu, working, usage, rss));
    }
    return Responses.json(HttpResponseStatus.OK, root.toString());
  }

  private static void cpu(ObjectNode parent, String time, long cpuNanos, Long nanoCores) {
    ObjectNode cpu = parent.putObject("cpu");
    cpu.put("time", time);
    if (nanoCores != null) {
      cpu.put("usageNanoCores", nanoCores);
    }
    cpu.put("usageCoreNanoSeconds", cpuNanos);
  }

  private static ObjectNode memory(ObjectNode parent, String time, CgroupStats.Usage u) {
    ObjectNode mem = parent.putObject("memory");
    mem.put("time", time);
    mem.put("usageBytes", u.usageBytes());
    mem.put("workingSetBytes", u.workingSetBytes());
    mem.put("rssBytes", u.rssBytes());
    return mem;
  }

  private static void header(StringBuilder out, String name, String help, String type) {
    out.append("# HELP ").append(name).append(" [ALPHA] ").append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static String labels(String container, ResourceSampler.PodSample p) {
    return "{container=\""
        + escape(container)
        + "\",namespace=\""
        + escape(p.pod().key().namespace())
        + "\",pod=\""
        + escape(p.pod().key().name())
        + "\"}";
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? String.valueOf((long) v)
        : String.format(Locale.ROOT, "%s", v);
  }
}
