package io.staticlet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The testkit's own ITs take a {@link ControlPlane} parameter: one control plane for the JVM,
 * started on first use in a temporary state directory, stopped by JUnit after the last test (the
 * script's watchdog stops it if the JVM dies first). The state directory, with the components'
 * logs, is kept.
 */
final class SharedControlPlane implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedControlPlane.class);

  private record Running(ControlPlane plane) implements AutoCloseable {
    @Override
    public void close() {
      plane.stop();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ControlPlane.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(Running.class, k -> start(), Running.class)
        .plane();
  }

  private static Running start() {
    try {
      return new Running(
          ControlPlane.start(
              Repo.root(), Files.createTempDirectory("staticlet-testkit-controlplane-")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
