package io.staticlet.docker;

import io.fabric8.kubernetes.api.model.Container;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes entrypoint semantics on Docker: {@code command} replaces the image ENTRYPOINT (and
 * with it the image CMD), {@code args} replaces the image CMD. Both have {@code $(VAR)} references
 * to the container's environment expanded. Docker's own merge rule (a non-empty ENTRYPOINT drops
 * the image CMD; an empty one keeps the image's ENTRYPOINT and, if CMD is empty too, its CMD)
 * implements exactly that, so we pass what the manifest says and leave empty lists unset.
 */
final class EntrypointResolver {
  private EntrypointResolver() {}

  static ResolvedCommand resolve(Container container, Map<String, String> env) {
    return new ResolvedCommand(expandAll(container.getCommand(), env), expandAll(container.getArgs(), env));
  }

  private static List<String> expandAll(List<String> values, Map<String, String> env) {
    if (values == null) {
      return List.of();
    }
    return values.stream().map(v -> VarExpansion.expand(v, env)).toList();
  }

  /**
   * What to send to Docker.
   *
   * @param entrypoint Docker {@code Entrypoint}; empty = the image's
   * @param cmd Docker {@code Cmd}; empty = none if an entrypoint is given, else the image's
   */
  record ResolvedCommand(List<String> entrypoint, List<String> cmd) {
    ResolvedCommand {
      entrypoint = List.copyOf(entrypoint);
      cmd = List.copyOf(cmd);
    }
  }
}
