package io.staticlet.app.kubeletapi.streaming;

import java.util.List;
import java.util.Optional;

/**
 * A parsed streaming path: {@code /exec|attach|run/{ns}/{pod}[/{uid}]/{ctr}} or {@code
 * /portForward/{ns}/{pod}[/{uid}]}; {@code uid} and {@code container} are {@code ""} when absent.
 */
public record StreamingPath(Kind kind, String namespace, String pod, String uid, String container) {
  public enum Kind {
    EXEC("exec"),
    ATTACH("attach"),
    RUN("run"),
    PORT_FORWARD("portForward");

    private final String segment;

    Kind(String segment) {
      this.segment = segment;
    }

    public String segment() {
      return segment;
    }
  }

  /** Empty when the path has none of the four shapes. */
  public static Optional<StreamingPath> parse(String path) {
    List<String> parts = List.of(path.replaceAll("^/+", "").split("/", -1));
    if (parts.stream().anyMatch(String::isEmpty)) {
      return Optional.empty();
    }
    for (Kind kind : Kind.values()) {
      if (!parts.get(0).equals(kind.segment)) {
        continue;
      }
      int n = parts.size();
      if (kind == Kind.PORT_FORWARD) {
        return n == 3 || n == 4
            ? Optional.of(
                new StreamingPath(kind, parts.get(1), parts.get(2), n == 4 ? parts.get(3) : "", ""))
            : Optional.empty();
      }
      return n == 4 || n == 5
          ? Optional.of(
              new StreamingPath(
                  kind, parts.get(1), parts.get(2), n == 5 ? parts.get(3) : "", parts.get(n - 1)))
          : Optional.empty();
    }
    return Optional.empty();
  }
}
