package io.staticlet.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ApiCallNamesTest {
  @Test
  void mapsTheLoopsCallsToApiVerbsAndResources() {
    assertEquals("create", ApiCallNames.verb("create mirror default/web-node1"));
    assertEquals("pods", ApiCallNames.resource("create mirror default/web-node1"));
    assertEquals("patch", ApiCallNames.verb("write status of mirror default/web-node1"));
    assertEquals("pods/status", ApiCallNames.resource("write status of mirror default/web-node1"));
    assertEquals("delete", ApiCallNames.verb("delete mirror default/web-node1"));
    assertEquals("create", ApiCallNames.verb("register node node1"));
    assertEquals("nodes", ApiCallNames.resource("register node node1"));
    assertEquals("nodes/status", ApiCallNames.resource("update status of node node1"));
    assertEquals("update", ApiCallNames.verb("renew lease node1"));
    assertEquals("leases", ApiCallNames.resource("renew lease node1"));
  }
}
