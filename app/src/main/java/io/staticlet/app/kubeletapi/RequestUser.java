package io.staticlet.app.kubeletapi;

import java.util.List;

/** Who sent a request to the kubelet API, as the authenticator found out. */
public record RequestUser(String name, List<String> groups) {
  static final RequestUser ANONYMOUS =
      new RequestUser("system:anonymous", List.of("system:unauthenticated"));

  public RequestUser {
    groups = List.copyOf(groups);
  }
}
