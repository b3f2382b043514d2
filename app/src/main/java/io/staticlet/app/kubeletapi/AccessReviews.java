package io.staticlet.app.kubeletapi;

import java.util.Optional;

/**
 * The API server's TokenReview and SubjectAccessReview, the port the kubelet API's webhook
 * authenticator and authorizer use (implemented on the mirror module's API client). Both throw an
 * unchecked exception when the API server cannot answer.
 */
public interface AccessReviews {
  /** The token's user, or empty when the API server says the token is not authenticated. */
  Optional<RequestUser> reviewToken(String token);

  /** Whether {@code user} may do {@code attributes} on this node. */
  boolean reviewAccess(RequestUser user, RequestAttributes attributes);
}
