package io.staticlet.bench;

import io.staticlet.testkit.Repo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The bench's command line. */
record BenchOptions(
    Path repo,
    Path agentJar,
    Path launcher,
    Path agentJava,
    List<String> agentJvmOptions,
    Map<String, String> agentEnvironment,
    boolean agentCds,
    int syncWorkers,
    int warmup,
    int runs,
    int bulkPods,
    int bulkRuns,
    int probedPods,
    Duration steadyWindow,
    boolean cluster,
    Set<String> only,
    Path workDir,
    Path resultsCopy,
    Duration budget) {

  /** None: the agent runs with the launcher's JVM settings, as installed (deploy/bin/staticlet). */
  static final String DEFAULT_JVM_OPTIONS = "";

  static final Set<String> BENCHMARKS = Set.of("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8");

  static final String USAGE =
      """
      usage: deploy/bench.sh [options]      (java -jar bench/target/staticlet-bench.jar [options])

        --agent-jvm-opts "OPTS"   JVM options added after the launcher's own (STATICLET_JAVA_OPTS;
                                  default none: the agent runs exactly as installed)
        --agent-env NAME=VALUE    an environment variable for the agent (repeatable),
                                  e.g. MALLOC_ARENA_MAX=2
        --agent-cds               also create an AppCDS archive in a training run and add
                                  -XX:SharedArchiveFile=<it> to the agent's options
        --agent-java FILE         java for the agent (default: the bench's own)
        --agent-jar FILE          the agent (default <repo>/app/target/staticlet.jar; copied first)
        --launcher FILE           the command that starts it (default <repo>/deploy/bin/staticlet)
        --sync-workers N          the agent's --sync-workers and the bulk baseline's parallelism (8)
        --warmup N                unmeasured iterations before B1, B2, B3, B8 (3)
        --runs N                  measured iterations of B1, B2, B3, B8 (15)
        --bulk-pods N             pods in B4, B5, B6 (100)
        --probed-pods N           pods with an httpGet readiness probe in B7 (110)
        --bulk-runs N             repetitions of B4, agent and baseline each (2)
        --steady-seconds S        B5's and B7's window (60)
        --no-cluster              standalone only: no control plane, mirror rows n/a
        --only B1,B4,...          run only these (B5, B6 need B4's pods and run B4 once)
        --results FILE            also write the JSON there
        --work-dir DIR            logs, manifests, control plane state (<repo>/bench/target/bench-run)
        --budget-minutes M        skip what no longer fits (14)
        --repo DIR                the repository (default: the working directory)
      """;

  static BenchOptions parse(String[] args) {
    Path repo = Path.of("").toAbsolutePath();
    Path agentJar = null;
    Path launcher = null;
    int probedPods = 110;
    Path agentJava = Repo.currentJava();
    String jvmOptions = DEFAULT_JVM_OPTIONS;
    Map<String, String> environment = new LinkedHashMap<>();
    boolean cds = false;
    int syncWorkers = 8;
    int warmup = 3;
    int runs = 15;
    int bulkPods = 100;
    int bulkRuns = 2;
    int steadySeconds = 60;
    boolean cluster = true;
    Set<String> only = BENCHMARKS;
    Path workDir = null;
    Path results = null;
    int budgetMinutes = 14;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--repo" -> repo = Path.of(value(args, ++i, a)).toAbsolutePath();
        case "--agent-jar" -> agentJar = Path.of(value(args, ++i, a)).toAbsolutePath();
        case "--launcher" -> launcher = Path.of(value(args, ++i, a)).toAbsolutePath();
        case "--probed-pods" -> probedPods = positive(args, ++i, a);
        case "--agent-java" -> agentJava = Path.of(value(args, ++i, a));
        case "--agent-jvm-opts" -> jvmOptions = value(args, ++i, a);
        case "--agent-env" -> {
          String pair = value(args, ++i, a);
          int eq = pair.indexOf('=');
          if (eq <= 0) {
            throw new UsageException("--agent-env needs NAME=VALUE");
          }
          environment.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        case "--agent-cds" -> cds = true;
        case "--sync-workers" -> syncWorkers = positive(args, ++i, a);
        case "--warmup" -> warmup = Integer.parseInt(value(args, ++i, a));
        case "--runs" -> runs = positive(args, ++i, a);
        case "--bulk-pods" -> bulkPods = positive(args, ++i, a);
        case "--bulk-runs" -> bulkRuns = positive(args, ++i, a);
        case "--steady-seconds" -> steadySeconds = positive(args, ++i, a);
        case "--no-cluster" -> cluster = false;
        case "--only" -> only = benchmarks(value(args, ++i, a));
        case "--results" -> results = Path.of(value(args, ++i, a)).toAbsolutePath();
        case "--work-dir" -> workDir = Path.of(value(args, ++i, a)).toAbsolutePath();
        case "--budget-minutes" -> budgetMinutes = positive(args, ++i, a);
        case "-h", "--help" -> throw new UsageException("");
        default -> throw new UsageException("unknown option " + a);
      }
    }
    return new BenchOptions(
        repo,
        agentJar != null ? agentJar : repo.resolve("app/target/staticlet.jar"),
        launcher != null ? launcher : repo.resolve("deploy/bin/staticlet"),
        agentJava,
        Arrays.stream(jvmOptions.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList(),
        Map.copyOf(environment),
        cds,
        syncWorkers,
        warmup,
        runs,
        bulkPods,
        bulkRuns,
        probedPods,
        Duration.ofSeconds(steadySeconds),
        cluster,
        only,
        workDir != null ? workDir : repo.resolve("bench/target/bench-run"),
        results,
        Duration.ofMinutes(budgetMinutes));
  }

  boolean runs(String benchmark) {
    return only.contains(benchmark);
  }

  /** B4's pods are needed by B4, B5 and B6. */
  boolean needsBulk() {
    return runs("B4") || runs("B5") || runs("B6");
  }

  private static Set<String> benchmarks(String list) {
    Set<String> chosen = new LinkedHashSet<>();
    for (String b : list.split(",")) {
      String id = b.trim().toUpperCase(Locale.ROOT);
      if (!BENCHMARKS.contains(id)) {
        throw new UsageException("unknown benchmark " + b + " (B1..B8)");
      }
      chosen.add(id);
    }
    return Set.copyOf(chosen);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  private static int positive(String[] args, int i, String option) {
    try {
      int n = Integer.parseInt(value(args, i, option));
      if (n <= 0) {
        throw new UsageException(option + " must be positive");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException(option + " needs a number");
    }
  }

  /** A bad command line; the message (maybe empty for --help) is printed above the usage. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
