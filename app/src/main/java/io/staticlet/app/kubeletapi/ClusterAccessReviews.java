package io.staticlet.app.kubeletapi;

import io.staticlet.mirror.AccessReviewClient;
import java.util.Optional;

/** {@link AccessReviews} on the mirror module's API client. */
public final class ClusterAccessReviews implements AccessReviews {
  private final AccessReviewClient client;

  public ClusterAccessReviews(AccessReviewClient client) {
    this.client = client;
  }

  @Override
  public Optional<RequestUser> reviewToken(String token) {
    return client.reviewToken(token).map(u -> new RequestUser(u.name(), u.groups()));
  }

  @Override
  public boolean reviewAccess(RequestUser user, RequestAttributes a) {
    return client.reviewAccess(
        user.name(), user.groups(), a.verb(), a.resource(), a.subresource(), a.name());
  }
}
