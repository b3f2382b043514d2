package io.staticlet.app.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The node name: {@code --hostname-override} or the host name, trimmed and lowercased like the
 * kubelet's.
 */
public final class NodeNames {
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private NodeNames() {}

  public static String resolve(String override) {
    String name = override;
    if (name == null || name.isBlank()) {
      try {
        name = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        throw new ConfigException(
            "cannot determine the host name (" + e.getMessage() + "): give --hostname-override");
      }
    }
    name = name.trim().toLowerCase(Locale.ROOT);
    if (name.length() > 253 || !DNS1123_SUBDOMAIN.matcher(name).matches()) {
      throw new ConfigException(
          "--hostname-override: \""
              + name
              + "\" is not a valid node name "
              + "(lowercase letters, digits, '-' and '.', at most 253 characters)");
    }
    return name;
  }
}
