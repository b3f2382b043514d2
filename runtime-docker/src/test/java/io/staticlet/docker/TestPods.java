package io.staticlet.docker;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.staticlet.core.testing.DefaultedPods;

/**
 * Core's {@link DefaultedPods} plus what the Docker tests need: the local images and a create
 * command.
 */
final class TestPods {
  static final String BUSYBOX = DefaultedPods.BUSYBOX;
  static final String PAUSE = "registry.k8s.io/pause:3.10";
  static final String NODE = DefaultedPods.NODE;

  private TestPods() {}

  /** A create command for mapping tests; executing it fails the test. */
  static com.github.dockerjava.api.command.CreateContainerCmd createCmd(String image) {
    return new com.github.dockerjava.core.command.CreateContainerCmdImpl(
        cmd -> {
          throw new AssertionError("unit tests never talk to Docker");
        },
        null,
        image);
  }

  static DefaultedPods.Builder pod(String name) {
    return DefaultedPods.pod(name);
  }

  static ContainerBuilder shell(String name, String script) {
    return DefaultedPods.shell(name, script);
  }

  static ContainerBuilder container(String name) {
    return DefaultedPods.container(name);
  }

  static EnvVar fieldRef(String name, String path) {
    return DefaultedPods.fieldRef(name, path);
  }

  static EnvVar env(String name, String value) {
    return DefaultedPods.env(name, value);
  }
}
