package io.staticlet.app.config;

/** A flag or the configuration file is wrong; the message says which and why. Exit code 2. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
