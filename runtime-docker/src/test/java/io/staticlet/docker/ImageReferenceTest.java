package io.staticlet.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {
  @Test
  void splitsRepositoryAndTagAndDefaultsToLatest() {
    assertEquals(new ImageReference("busybox", "latest"), ImageReference.parse("busybox"));
    assertEquals(
        new ImageReference("registry.k8s.io/pause", "3.10"),
        ImageReference.parse("registry.k8s.io/pause:3.10"));
    assertEquals(
        new ImageReference("localhost:5000/app", "latest"),
        ImageReference.parse("localhost:5000/app"));
    assertEquals(
        new ImageReference("localhost:5000/app", "v1"),
        ImageReference.parse("localhost:5000/app:v1"));
    assertEquals(
        new ImageReference("nginx", "sha256:abc"), ImageReference.parse("nginx@sha256:abc"));
  }
}
