package io.staticlet.app;

import ch.qos.logback.classic.Level;
import io.staticlet.app.config.AgentConfig;
import io.staticlet.app.config.CommandLine;
import io.staticlet.app.config.ConfigException;
import io.staticlet.app.http.AgentHttpServer;
import io.staticlet.app.kubeletapi.ContainerLocator;
import io.staticlet.app.kubeletapi.KubeletStreaming;
import io.staticlet.app.kubeletapi.StreamingEndpoint;
import io.staticlet.docker.DockerContainerRuntime;
import io.staticlet.docker.DockerRuntimeSettings;
import io.staticlet.docker.EngineEndpointProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code staticlet} executable: parse flags, wire the agent, run until SIGTERM. */
public final class StaticletMain {
  private static final Logger log = LoggerFactory.getLogger(StaticletMain.class);
  static final int EXIT_USAGE = 2;
  private static final Duration ENGINE_PROBE_TIMEOUT = Duration.ofSeconds(5);

  private StaticletMain() {}

  public static void main(String[] args) {
    AgentHttpServer.applyRequestTimeouts(); // before anything in the JVM creates a JDK HttpServer
    System.exit(run(args, new PrintWriter(System.err, true)));
  }

  static int run(String[] args, PrintWriter err) {
    CommandLine flags = new CommandLine();
    picocli.CommandLine cli = new picocli.CommandLine(flags);
    AgentConfig config;
    try {
      picocli.CommandLine.ParseResult parsed = flags.parse(cli, args);
      if (picocli.CommandLine.printHelpIfRequested(parsed)) {
        return 0;
      }
      config = flags.toConfig();
      EngineEndpointProbe.Result engine =
          EngineEndpointProbe.probe(config.containerRuntimeEndpoint(), ENGINE_PROBE_TIMEOUT);
      if (engine.verdict() == EngineEndpointProbe.Verdict.NOT_DOCKER) {
        throw new ConfigException(
            "container runtime endpoint "
                + config.containerRuntimeEndpoint()
                + " is not a Docker Engine API ("
                + engine.detail()
                + "): staticlet runs pods on Docker only; "
                + "give the Docker socket with --container-runtime-endpoint (default unix:///var/run/docker.sock)");
      }
    } catch (picocli.CommandLine.ParameterException e) {
      err.println("staticlet: " + e.getMessage());
      err.println("Run 'staticlet --help' for the flags.");
      return EXIT_USAGE;
    } catch (ConfigException e) {
      err.println("staticlet: " + e.getMessage());
      return EXIT_USAGE;
    }
    setVerbosity(flags.verbosity);
    log.info("configuration read sinceJvmStart={}ms", Agent.sinceJvmStartMillis());
    if (!config.acceptedNotUsed().isEmpty()) {
      log.info("accepted, not used: {}", String.join(", ", config.acceptedNotUsed()));
    }
    if (!config.unknownConfigFields().isEmpty()) {
      log.warn(
          "config fields that KubeletConfiguration v1beta1 does not define, ignored (as the kubelet 1.20 does): {}",
          String.join(", ", config.unknownConfigFields()));
    }
    RootDirLock lock;
    try {
      lock = RootDirLock.acquire(config.rootDir(), config.nodeName());
    } catch (RootDirLock.HeldException e) {
      err.println("staticlet: " + e.getMessage());
      return EXIT_USAGE;
    } catch (IOException e) {
      err.println(
          "staticlet: cannot lock the root directory " + config.rootDir() + ": " + e.getMessage());
      return EXIT_USAGE;
    }
    DockerRuntimeSettings runtimeSettings =
        sandboxScoreFor(
            OwnOomScore.ofThisProcess().apply(config.oomScoreAdj()),
            new DockerRuntimeSettings(
                config.containerRuntimeEndpoint(),
                config.podInfraContainerImage(),
                config.rootDir(),
                config.nodeName(),
                config.nodeIp()));
    CountDownLatch stopped = new CountDownLatch(1);
    // beside everything that follows, on the other core: it loads the parser and the Pod model
    ParserWarmUp warmUp =
        ParserWarmUp.begin(config.staticPodPath(), config.nodeName(), Clock.systemUTC());
    try (lock;
        // bound before the engine client and the agent are built: /healthz answers within half a
        // second
        HealthzPort healthz = HealthzPort.bind(config);
        DockerContainerRuntime runtime = DockerContainerRuntime.create(runtimeSettings);
        Agent agent = new Agent(config, runtime, healthz, warmUp, streamingOn(runtime))) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    stopped.countDown();
                    agent.close();
                  },
                  "shutdown"));
      agent.start();
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.error("staticlet failed to start", e);
      return 1;
    }
    return 0;
  }

  /**
   * A local engine shares the agent's kernel: if that kernel refused the agent a negative score,
   * sandboxes start with 0 at once (a remote engine still gets -998, with the launcher's fallback).
   */
  static DockerRuntimeSettings sandboxScoreFor(
      OwnOomScore.Outcome own, DockerRuntimeSettings settings) {
    boolean localEngine = settings.endpoint().startsWith("unix://");
    return own == OwnOomScore.Outcome.REFUSED_BY_KERNEL && localEngine
        ? settings.withSandboxOomScoreAdj(0)
        : settings;
  }

  private static void setVerbosity(int v) {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
      ctx.getLogger("io.staticlet").setLevel(v >= 4 ? Level.DEBUG : Level.INFO);
    }
  }

  /** exec, attach and port-forward block on the engine and on their clients: their own threads. */
  private static Function<ContainerLocator, StreamingEndpoint> streamingOn(
      DockerContainerRuntime runtime) {
    return locator ->
        new KubeletStreaming(
            runtime,
            locator,
            Executors.newCachedThreadPool(NamedThreads.numbered("kubelet-stream")));
  }
}
