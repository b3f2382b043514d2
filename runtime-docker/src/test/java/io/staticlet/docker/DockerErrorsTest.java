package io.staticlet.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.staticlet.core.runtime.ContainerNotFoundException;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import io.staticlet.core.runtime.ImagePullException;
import io.staticlet.core.runtime.RuntimeUnavailableException;
import io.staticlet.docker.DockerErrors.Operation;
import java.io.IOException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class DockerErrorsTest {
  private static RuntimeException translate(Operation op, RuntimeException e) {
    return DockerErrors.translate(op, "do it", e);
  }

  @Test
  void missingImageOnCreateIsAnImagePullFailure() {
    var e =
        translate(
            Operation.CREATE, new NotFoundException("{\"message\":\"No such image: foo:1\"}"));
    assertInstanceOf(ImagePullException.class, e);
    assertEquals("do it: No such image: foo:1", e.getMessage());
  }

  @Test
  void missingContainerIsContainerNotFound() {
    assertInstanceOf(
        ContainerNotFoundException.class,
        translate(
            Operation.CONTAINER,
            new NotFoundException("{\"message\":\"No such container: abc\"}")));
    assertInstanceOf(
        ContainerNotFoundException.class,
        translate(
            Operation.CREATE,
            new NotFoundException("{\"message\":\"No such container: sandbox\"}")));
  }

  @Test
  void engineRefusalsOnCreateAndStartAreSpecRejections() {
    assertInstanceOf(
        ContainerSpecRejectedException.class,
        translate(Operation.CREATE, new ConflictException("name in use")));
    assertInstanceOf(
        ContainerSpecRejectedException.class,
        translate(Operation.CREATE, new BadRequestException("bad")));
    assertInstanceOf(
        ContainerSpecRejectedException.class,
        translate(Operation.CREATE, new InternalServerErrorException("oci")));
    assertInstanceOf(
        ContainerSpecRejectedException.class,
        translate(Operation.START, new InternalServerErrorException("exec")));
  }

  @Test
  void serverErrorsElsewhereAreTransient() {
    assertInstanceOf(
        RuntimeUnavailableException.class,
        translate(Operation.CONTAINER, new InternalServerErrorException("x")));
    assertInstanceOf(
        RuntimeUnavailableException.class,
        translate(Operation.CONTAINER, new ConflictException("busy")));
  }

  @Test
  void pullFailuresAreImagePullFailures() {
    assertInstanceOf(
        ImagePullException.class,
        translate(Operation.IMAGE, new InternalServerErrorException("registry down")));
    assertInstanceOf(
        ImagePullException.class,
        translate(Operation.IMAGE, new DockerClientException("Could not pull image")));
    assertInstanceOf(
        ImagePullException.class,
        translate(Operation.IMAGE, new NotFoundException("manifest unknown")));
  }

  @Test
  void ioFailuresMeanTheEngineIsUnavailable() {
    var e =
        translate(Operation.CONTAINER, new RuntimeException(new IOException("Connection refused")));
    assertInstanceOf(RuntimeUnavailableException.class, e);
    assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
    assertInstanceOf(
        RuntimeUnavailableException.class,
        translate(
            Operation.IMAGE, new RuntimeException(new SocketTimeoutException("Read timed out"))));
  }

  @Test
  void leavesProgrammingErrorsAndTranslatedExceptionsAlone() {
    var npe = new NullPointerException("bug");
    assertSame(npe, translate(Operation.CONTAINER, npe));
    var done = new ContainerSpecRejectedException("already");
    assertSame(done, translate(Operation.CREATE, done));
  }

  @Test
  void extractsTheEngineMessageFromTheJsonBody() {
    assertEquals(
        "Conflict. The container name \"/x\" is already in use",
        DockerErrors.engineMessage(
            new ConflictException(
                "Status 409: {\"message\":\"Conflict. The container name \\\"/x\\\" is already in use\"}\n")));
    assertEquals("plain", DockerErrors.engineMessage(new RuntimeException("plain")));
  }
}
