package io.staticlet.mirror;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * TokenReview and SubjectAccessReview on the agent's API client, for the kubelet API's webhook
 * authentication and authorization (the node's credentials may create both). Every call throws
 * {@link IllegalStateException} while the client is not built yet and fabric8's exception when the
 * API server fails: the caller answers 401 or 500 and caches nothing.
 */
public final class AccessReviewClient {
  /** A TokenReview's answer. */
  public record TokenUser(String name, List<String> groups) {}

  private final Supplier<Optional<KubernetesClient>> client;

  AccessReviewClient(Supplier<Optional<KubernetesClient>> client) {
    this.client = client;
  }

  /**
   * {@code POST authentication.k8s.io/v1 tokenreviews}: the user, or empty when not authenticated.
   */
  public Optional<TokenUser> reviewToken(String token) {
    TokenReview review =
        client()
            .authentication()
            .v1()
            .tokenReviews()
            .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
    if (review.getStatus() == null
        || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())
        || review.getStatus().getUser() == null) {
      return Optional.empty();
    }
    List<String> groups = review.getStatus().getUser().getGroups();
    return Optional.of(
        new TokenUser(
            review.getStatus().getUser().getUsername(), groups == null ? List.of() : groups));
  }

  /**
   * {@code POST authorization.k8s.io/v1 subjectaccessreviews} for a non-namespaced {@code resource}
   * of the core group, e.g. {@code nodes/proxy} of this node.
   */
  public boolean reviewAccess(
      String user,
      List<String> groups,
      String verb,
      String resource,
      String subresource,
      String name) {
    SubjectAccessReview review =
        client()
            .authorization()
            .v1()
            .subjectAccessReview()
            .create(
                new SubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withUser(user)
                    .withGroups(groups)
                    .withNewResourceAttributes()
                    .withVerb(verb)
                    .withGroup("")
                    .withVersion("v1")
                    .withResource(resource)
                    .withSubresource(subresource)
                    .withName(name)
                    .endResourceAttributes()
                    .endSpec()
                    .build());
    return review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
  }

  private KubernetesClient client() {
    return client
        .get()
        .orElseThrow(() -> new IllegalStateException("the API client is not ready yet"));
  }
}
