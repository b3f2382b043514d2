package io.staticlet.bench;

/** The agent under test did not start or died; the message carries its log's tail. */
final class AgentFailedException extends RuntimeException {
  AgentFailedException(String message) {
    super(message);
  }
}
