package io.staticlet.core.events;

/** The two Event types of the API. */
public enum EventType {
  NORMAL("Normal"),
  WARNING("Warning");

  private final String apiValue;

  EventType(String apiValue) {
    this.apiValue = apiValue;
  }

  /** As the API writes it: {@code Normal} or {@code Warning}. */
  public String apiValue() {
    return apiValue;
  }
}
