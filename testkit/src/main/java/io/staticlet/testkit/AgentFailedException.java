package io.staticlet.testkit;

/** The agent under test did not start or died; the message carries its log's tail. */
public final class AgentFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AgentFailedException(String message) {
    super(message);
  }
}
