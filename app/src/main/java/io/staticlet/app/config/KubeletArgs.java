package io.staticlet.app.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a kubelet command line the way the kubelet's pflag does, before picocli sees it: names are
 * normalized ({@code --docker_root} is {@code --docker-root}), booleans are {@code --flag} or
 * {@code --flag=false} and never take the next argument. Flags staticlet implements are passed on
 * to picocli in {@code --name[=value]} form; the other kubelet 1.20 flags are consumed with their
 * values and remembered as accepted-not-used; anything else is left for picocli to refuse.
 *
 * @param forParser the arguments for picocli
 * @param acceptedNotUsed the kubelet flags given that staticlet does not act on, e.g. {@code
 *     --network-plugin}
 */
record KubeletArgs(List<String> forParser, List<String> acceptedNotUsed) {

  /**
   * @param implemented option names picocli declares, with their dashes ({@code --node-ip}, {@code
   *     -v})
   * @param implementedBooleans those of them that are booleans
   */
  static KubeletArgs split(
      List<String> args, Set<String> implemented, Set<String> implementedBooleans) {
    List<String> out = new ArrayList<>();
    Set<String> unused = new LinkedHashSet<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        out.addAll(args.subList(i, args.size()));
        break;
      }
      if (!arg.startsWith("-") || arg.equals("-")) {
        out.add(arg);
        continue;
      }
      boolean longForm = arg.startsWith("--");
      String body = arg.substring(longForm ? 2 : 1);
      int eq = body.indexOf('=');
      String name = (eq < 0 ? body : body.substring(0, eq)).replace('_', '-');
      String value = eq < 0 ? null : body.substring(eq + 1);
      if (!longForm && name.length() > 1) {
        out.add(arg); // pflag shorthands are single letters: leave it for picocli to refuse
        continue;
      }
      String dashed = (longForm ? "--" : "-") + name;
      if (implemented.contains(dashed)) {
        if (implementedBooleans.contains(dashed) && value != null) {
          out.add(dashed + "=" + parseBool(dashed, value));
        } else {
          out.add(value == null ? dashed : dashed + "=" + value);
        }
        continue;
      }
      KubeletFlagCatalog.Kind kind = KubeletFlagCatalog.kind(name).orElse(null);
      if (kind == null) {
        out.add(arg);
        continue;
      }
      if (kind == KubeletFlagCatalog.Kind.BOOL) {
        if (value != null) {
          parseBool("--" + name, value);
        }
      } else if (value == null) {
        if (i + 1 >= args.size()) {
          throw new ConfigException("--" + name + ": flag needs an argument");
        }
        i++;
      }
      unused.add("--" + name);
    }
    return new KubeletArgs(List.copyOf(out), List.copyOf(unused));
  }

  /** Go's {@code strconv.ParseBool}, which pflag uses. */
  static boolean parseBool(String flag, String value) {
    return switch (value) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default ->
          throw new ConfigException(
              flag + ": invalid boolean \"" + value + "\" (expected true or false)");
    };
  }
}
