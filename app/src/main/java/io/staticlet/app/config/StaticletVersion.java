package io.staticlet.app.config;

import picocli.CommandLine.IVersionProvider;

/** The agent's version, from the jar manifest when packaged. */
public final class StaticletVersion implements IVersionProvider {
  public static String get() {
    String v = StaticletVersion.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"staticlet " + get()};
  }
}
