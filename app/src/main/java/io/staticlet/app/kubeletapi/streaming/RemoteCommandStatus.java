package io.staticlet.app.kubeletapi.streaming;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * What exec and attach write on the error stream at the end ({@code
 * pkg/kubelet/cri/streaming/remotecommand/exec.go}, {@code httpstream.go}): with v4 a metav1.Status
 * as JSON (fields in Go's order), before v4 only a failure's message as text.
 */
public final class RemoteCommandStatus {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RemoteCommandStatus() {}

  /** Exit code 0 or an attach that ended: v4 Success; nothing before v4. */
  public static byte[] success(String protocol) {
    if (!StreamProtocols.V4.equals(protocol)) {
      return new byte[0];
    }
    ObjectNode status = status("Success");
    return bytes(status);
  }

  /** A non-zero exit code, as dockershim reports it. */
  public static byte[] exitCode(String protocol, int code) {
    ObjectNode details = JSON.createObjectNode();
    details
        .putArray("causes")
        .addObject()
        .put("reason", "ExitCode")
        .put("message", Integer.toString(code));
    return failure(
        protocol,
        "command terminated with non-zero exit code: Error executing in Docker Container: " + code,
        "NonZeroExitCode",
        details,
        null);
  }

  /** The command could not run ({@code apierrors.NewInternalError}). */
  public static byte[] internalError(String protocol, String error) {
    ObjectNode details = JSON.createObjectNode();
    details.putArray("causes").addObject().put("message", error);
    return failure(protocol, "Internal error occurred: " + error, "InternalError", details, 500);
  }

  /** Before v4 only the message, as text. */
  private static byte[] failure(
      String protocol, String message, String reason, ObjectNode details, Integer code) {
    if (!StreamProtocols.V4.equals(protocol)) {
      return message.getBytes(StandardCharsets.UTF_8);
    }
    ObjectNode status = status("Failure");
    status.put("message", message);
    status.put("reason", reason);
    status.set("details", details);
    if (code != null) {
      status.put("code", code);
    }
    return bytes(status);
  }

  private static ObjectNode status(String value) {
    ObjectNode status = JSON.createObjectNode();
    status.putObject("metadata");
    status.put("status", value);
    return status;
  }

  private static byte[] bytes(ObjectNode status) {
    return status.toString().getBytes(StandardCharsets.UTF_8);
  }
}
