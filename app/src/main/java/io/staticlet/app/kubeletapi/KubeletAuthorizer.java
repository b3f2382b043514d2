package io.staticlet.app.kubeletapi;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@code authorization.mode}: {@code AlwaysAllow}, or {@code Webhook} (a SubjectAccessReview per
 * distinct request, allowed answers cached {@code cacheAuthorizedTTL}, denied ones {@code
 * cacheUnauthorizedTTL}; errors are not cached and throw).
 */
interface KubeletAuthorizer {
  boolean allowed(RequestUser user, RequestAttributes attributes);

  static KubeletAuthorizer alwaysAllow() {
    return (user, attributes) -> true;
  }

  static KubeletAuthorizer webhook(
      AccessReviews reviews, Duration authorizedTtl, Duration unauthorizedTtl, Clock clock) {
    record Key(String user, List<String> groups, String verb, String subresource, String name) {}
    TtlCache<Key, Boolean> cache = new TtlCache<>(clock, 1024);
    return (user, a) -> {
      Key key = new Key(user.name(), user.groups(), a.verb(), a.subresource(), a.name());
      return cache
          .get(key)
          .orElseGet(
              () -> {
                boolean allowed = reviews.reviewAccess(user, a);
                cache.put(key, allowed, allowed ? authorizedTtl : unauthorizedTtl);
                return allowed;
              });
    };
  }
}
