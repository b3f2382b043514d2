package io.staticlet.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Everything a run produced, as printed and as written to JSON. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Report(
    String startedAt,
    double durationSeconds,
    String outcome,
    Machine machine,
    Setup setup,
    List<Row> rows,
    List<String> notes) {

  /** The machine the figures come from, and how busy it was. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Machine(
      int cores,
      String cpuModel,
      long memTotalMb,
      String kernel,
      String dockerVersion,
      String loadAverageAtStart,
      String loadAverageAtEnd) {}

  /** How the agent was run and how much was measured. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Setup(
      String agentJar,
      String gitCommit,
      String agentJava,
      String agentJavaVersion,
      List<String> agentJvmOptions,
      Map<String, String> agentEnvironment,
      int syncWorkers,
      String mode,
      String clusterUnavailable,
      int warmup,
      int runs,
      int bulkPods,
      int bulkRuns,
      long steadySeconds) {}
}
