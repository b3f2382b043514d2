package io.staticlet.app.kubeletapi;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The query of {@code /containerLogs} as a v1 {@code PodLogOptions}, decoded and validated as the
 * kubelet does ({@code server.go} getContainerLogs, {@code ValidatePodLogOptions}).
 *
 * @param tailLines null: all lines
 * @param sinceSeconds null unless given
 * @param sinceTime null unless given
 * @param limitBytes null: no limit
 */
public record PodLogOptions(
    boolean follow,
    boolean previous,
    boolean timestamps,
    Long tailLines,
    Long sinceSeconds,
    Instant sinceTime,
    Long limitBytes) {

  /** The query could not be decoded: 400 {@code {"message": "Unable to decode query."}}. */
  static final class UndecodableQuery extends Exception {
    UndecodableQuery(String detail) {
      super(detail, null, false, false);
    }
  }

  /**
   * The options are invalid: 422 {@code {"message": "Invalid request."}}; the message lists why.
   */
  static final class InvalidOptions extends Exception {
    InvalidOptions(String detail) {
      super(detail, null, false, false);
    }
  }

  static PodLogOptions parse(QueryStringDecoder query) throws UndecodableQuery, InvalidOptions {
    Map<String, List<String>> params = new HashMap<>(query.parameters());
    List<String> tail = params.get("tail");
    if (tail != null && !tail.isEmpty() && !tail.get(0).isEmpty()) {
      // the kubelet's backwards compatibility: tail=N is tailLines=N, tail=all is no limit
      if (tail.get(0).equals("all")) {
        params.remove("tailLines");
      } else {
        params.put("tailLines", List.of(tail.get(0)));
      }
    }
    PodLogOptions options =
        new PodLogOptions(
            bool(params, "follow"),
            bool(params, "previous"),
            bool(params, "timestamps"),
            integer(params, "tailLines"),
            integer(params, "sinceSeconds"),
            time(params, "sinceTime"),
            integer(params, "limitBytes"));
    options.validate();
    return options;
  }

  private void validate() throws InvalidOptions {
    List<String> errors = new ArrayList<>();
    if (tailLines != null && tailLines < 0) {
      errors.add("tailLines: Invalid value: " + tailLines + ": must be greater than or equal to 0");
    }
    if (limitBytes != null && limitBytes < 1) {
      errors.add("limitBytes: Invalid value: " + limitBytes + ": must be greater than 0");
    }
    if (sinceSeconds != null && sinceTime != null) {
      errors.add("Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified");
    }
    if (sinceSeconds != null && sinceSeconds < 1) {
      errors.add("sinceSeconds: Invalid value: " + sinceSeconds + ": must be greater than 0");
    }
    if (!errors.isEmpty()) {
      throw new InvalidOptions(String.join(", ", errors));
    }
  }

  /** The first log time to show, from {@code sinceSeconds} or {@code sinceTime}, or null. */
  Instant since(Clock clock) {
    if (sinceTime != null) {
      return sinceTime;
    }
    return sinceSeconds == null ? null : clock.instant().minusSeconds(sinceSeconds);
  }

  /**
   * As Go's conversion of a query value to bool: absent false, {@code false} or {@code 0} false,
   * anything else true.
   */
  private static boolean bool(Map<String, List<String>> params, String name) {
    List<String> v = params.get(name);
    if (v == null || v.isEmpty()) {
      return false;
    }
    String s = v.get(0).toLowerCase(Locale.ROOT);
    return !(s.equals("false") || s.equals("0"));
  }

  private static Long integer(Map<String, List<String>> params, String name)
      throws UndecodableQuery {
    List<String> v = params.get(name);
    if (v == null || v.isEmpty() || v.get(0).isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v.get(0));
    } catch (NumberFormatException e) {
      throw new UndecodableQuery(name + ": not an integer: " + v.get(0));
    }
  }

  private static Instant time(Map<String, List<String>> params, String name)
      throws UndecodableQuery {
    List<String> v = params.get(name);
    if (v == null || v.isEmpty() || v.get(0).isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v.get(0)).toInstant();
    } catch (DateTimeParseException e) {
      throw new UndecodableQuery(name + ": not an RFC3339 time: " + v.get(0));
    }
  }
}
