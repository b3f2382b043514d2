package io.staticlet.e2e.controlplane;

import io.staticlet.testkit.ControlPlane;
import io.staticlet.testkit.Kubectl;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Gives end-to-end tests a real control plane: {@code @ExtendWith(ControlPlaneExtension.class)} and
 * take a {@link ControlPlane} parameter (test, lifecycle method or constructor).
 *
 * <p>The control plane is started once per test JVM, on first use, by {@code
 * deploy/controlplane/controlplane.sh up} in a fresh temporary state directory; the first run on a
 * machine also builds kube-apiserver and kube-controller-manager (10–30 min, cached in {@code
 * ~/.cache/staticlet}). It lives in the root {@link ExtensionContext.Store} as an {@link
 * AutoCloseable}, so JUnit stops it after the last test; a JVM shutdown hook stops it too if the
 * JVM ends some other way (Ctrl-C, a crashed fork).
 *
 * <p>When a test or lifecycle method fails, the tails of the etcd, kube-apiserver and
 * kube-controller-manager logs are printed to stderr and attached to the failure as a suppressed
 * exception (so they appear in the test report), and the state directory with the full logs is
 * kept. If the control plane cannot start, every test using it fails with the script's output and
 * the log tails.
 */
public final class ControlPlaneExtension
    implements ParameterResolver,
        TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ControlPlaneExtension.class);
  private static final int LOG_LINES = 40;

  /** The shared control plane of this JVM, started on first call. */
  public static ControlPlane controlPlane(ExtensionContext context) {
    return shared(context).get();
  }

  private static Shared shared(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(Shared.class, k -> new Shared(), Shared.class);
  }

  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == ControlPlane.class;
  }

  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return controlPlane(extensionContext);
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    throw withLogs(context, throwable);
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    throw withLogs(context, throwable);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(
      ExtensionContext context, Throwable throwable) throws Throwable {
    throw withLogs(context, throwable);
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    throw withLogs(context, throwable);
  }

  @Override
  public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    throw withLogs(context, throwable);
  }

  private static Throwable withLogs(ExtensionContext context, Throwable throwable) {
    Shared shared = shared(context);
    shared.failed = true;
    ControlPlane cp = shared.startedOrNull();
    if (cp != null) {
      String tails = cp.logTails(LOG_LINES);
      System.err.println(
          "[controlplane] "
              + context.getDisplayName()
              + " failed; apiserver "
              + (cp.isApiServerRunning() ? "running" : "NOT running")
              + "; logs in "
              + cp.stateDir().resolve("logs")
              + "\n"
              + tails);
      throwable.addSuppressed(
          new ControlPlaneLogs(
              "control plane logs (state kept in " + cp.stateDir() + ")\n" + tails));
    }
    return throwable;
  }

  /** Carries log tails into the test report; no stack trace of its own. */
  static final class ControlPlaneLogs extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ControlPlaneLogs(String message) {
      super(message, null, false, false);
    }
  }

  /** One per JVM (root store). Starts lazily, stops on close or JVM shutdown. */
  static final class Shared implements AutoCloseable {
    private ControlPlane controlPlane;
    private RuntimeException startFailure;
    private Path stateDir;
    private Thread shutdownHook;
    volatile boolean failed;

    synchronized ControlPlane get() {
      if (controlPlane != null) {
        return controlPlane;
      }
      if (startFailure != null) {
        throw new IllegalStateException(
            "the control plane failed to start earlier in this JVM", startFailure);
      }
      try {
        Path repo = ControlPlane.locateRepoRoot();
        if (Kubectl.find().isEmpty()) {
          System.err.println("[controlplane] WARNING: " + Kubectl.notFoundMessage());
        }
        stateDir = Files.createTempDirectory("staticlet-controlplane-");
        // registered before `up`, so a JVM killed during startup stops what was started
        shutdownHook =
            new Thread(
                () -> {
                  ControlPlane.abortRunningScripts();
                  stopQuietly();
                },
                "controlplane-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        System.err.println("[controlplane] starting in " + stateDir + " (repo " + repo + ")");
        controlPlane = ControlPlane.start(repo, stateDir);
        System.err.println(
            "[controlplane] up in "
                + seconds(controlPlane.startupTime())
                + ": "
                + controlPlane.apiServerUrl()
                + ", admin kubeconfig "
                + controlPlane.adminKubeconfig());
        return controlPlane;
      } catch (IOException e) {
        failed = true;
        startFailure = new IllegalStateException("cannot create a state directory", e);
        throw startFailure;
      } catch (RuntimeException e) {
        failed = true;
        startFailure = e;
        throw e;
      }
    }

    synchronized ControlPlane startedOrNull() {
      return controlPlane;
    }

    @Override
    public synchronized void close() {
      stopQuietly();
      if (shutdownHook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
          // the hook is running or has run; nothing to remove
        }
        shutdownHook = null;
      }
      if (stateDir == null) {
        return;
      }
      if (failed) {
        System.err.println("[controlplane] stopped; state and logs kept in " + stateDir);
      } else {
        deleteRecursively(stateDir);
        System.err.println("[controlplane] stopped; removed " + stateDir);
      }
    }

    private void stopQuietly() {
      try {
        if (controlPlane != null) {
          controlPlane.stop();
        } else if (stateDir != null) {
          // start failed or is in progress: the script knows the pidfiles
          ControlPlane.forceDown(ControlPlane.locateRepoRoot(), stateDir);
        }
      } catch (RuntimeException e) {
        System.err.println("[controlplane] stopping failed: " + e);
      }
    }

    private static String seconds(Duration d) {
      return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    private static void deleteRecursively(Path dir) {
      try {
        Files.walkFileTree(
            dir,
            new SimpleFileVisitor<>() {
              @Override
              public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                  throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult postVisitDirectory(Path d, IOException exc)
                  throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
              }
            });
      } catch (IOException e) {
        System.err.println("[controlplane] could not remove " + dir + ": " + e);
      }
    }
  }
}
