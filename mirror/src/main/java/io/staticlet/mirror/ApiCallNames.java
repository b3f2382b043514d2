package io.staticlet.mirror;

import java.util.Locale;

/**
 * Maps the loops' call descriptions ("write status of mirror ns/name") to API verb and resource.
 */
final class ApiCallNames {
  private ApiCallNames() {}

  static String verb(String what) {
    String first = what.split(" ", 2)[0].toLowerCase(Locale.ROOT);
    return switch (first) {
      case "register" -> "create";
      case "renew" -> "update";
      case "write", "update" -> "patch";
      default -> first;
    };
  }

  static String resource(String what) {
    String base = "other";
    for (String word : what.split(" ")) {
      String kind =
          switch (word) {
            case "mirror" -> "pods";
            case "node" -> "nodes";
            case "lease" -> "leases";
            case "event" -> "events";
            default -> null;
          };
      if (kind != null) {
        base = kind;
        break;
      }
    }
    return what.contains("status of ") ? base + "/status" : base;
  }
}
