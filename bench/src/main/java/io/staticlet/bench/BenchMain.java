package io.staticlet.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code deploy/bench.sh}'s entry point: runs the benchmarks, removes everything it started, prints
 * the table and writes it as JSON to {@code bench/target/bench-results.json} (and {@code
 * --results}). Exit status 0 when the run completed (whatever the verdicts), 1 when it was aborted,
 * 2 on a bad command line.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws IOException {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (BenchOptions.UsageException e) {
      boolean help = e.getMessage().isEmpty();
      if (!help) {
        System.err.println("bench: " + e.getMessage());
      }
      // --help is an answer (stdout, exit 0; deploy/bench.sh discards stderr there), a wrong option
      // an error
      (help ? System.out : System.err).print(BenchOptions.USAGE);
      System.exit(help ? 0 : 2);
      return;
    }
    Cleanup cleanup = new Cleanup();
    Runtime.getRuntime().addShutdownHook(cleanup.asShutdownHook());
    Report report = new Bench(options, cleanup).run();
    Progress.say("cleaning up (agents, containers, control plane)");
    cleanup.runAll();
    ReportTable.print(report, System.out);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Path results = options.repo().resolve("bench/target/bench-results.json");
    Files.createDirectories(results.getParent());
    json.writeValue(results.toFile(), report);
    System.out.println("results: " + results);
    if (options.resultsCopy() != null) {
      Files.createDirectories(options.resultsCopy().toAbsolutePath().getParent());
      json.writeValue(options.resultsCopy().toFile(), report);
      System.out.println("results copy: " + options.resultsCopy());
    }
    System.exit("completed".equals(report.outcome()) ? 0 : 1);
  }
}
