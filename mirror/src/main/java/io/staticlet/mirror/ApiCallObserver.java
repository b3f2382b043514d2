package io.staticlet.mirror;

import java.time.Duration;

/**
 * Hears every API call the cluster loops make (metrics). {@code verb} and {@code resource} follow
 * the API server's own vocabulary ({@code create}, {@code pods/status}); {@code code} is the HTTP
 * status ({@code 2xx} for a success, whose exact code the client does not expose; {@code 0} when
 * the server was not reached); {@code outcome} is {@code ok} or the error class ({@code
 * unavailable}, {@code not_found}, {@code conflict}, {@code rejected}). Must not block.
 */
@FunctionalInterface
public interface ApiCallObserver {
  void observe(String verb, String resource, String code, String outcome, Duration took);

  ApiCallObserver NONE = (verb, resource, code, outcome, took) -> {};
}
