package io.staticlet.core.status;

/** The pod conditions the kubelet reports, in the order it reports them. */
public enum PodConditionType {
  INITIALIZED("Initialized"),
  READY("Ready"),
  CONTAINERS_READY("ContainersReady"),
  POD_SCHEDULED("PodScheduled");

  private final String apiName;

  PodConditionType(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }
}
