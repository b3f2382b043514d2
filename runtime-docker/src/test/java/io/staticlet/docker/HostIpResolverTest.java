package io.staticlet.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostIpResolverTest {
  private static final String HEADER =
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";

  @Test
  void picksTheDefaultRouteWithTheLowestMetric() {
    List<String> route =
        List.of(
            HEADER,
            "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0",
            "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0",
            "eth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0",
            "eth0\t0000000A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0");
    assertEquals(Optional.of("eth0"), HostIpResolver.defaultRouteInterface(route));
  }

  @Test
  void ignoresRoutesThatAreDownOrNotDefault() {
    List<String> route =
        List.of(
            HEADER,
            "eth1\t00000000\t0100000A\t0002\t0\t0\t0\t00000000\t0\t0\t0",
            "eth0\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0");
    assertTrue(HostIpResolver.defaultRouteInterface(route).isEmpty());
    assertTrue(HostIpResolver.defaultRouteInterface(List.of()).isEmpty());
  }

  @Test
  void detectsAnIpv4AddressOnThisMachine() {
    assertTrue(HostIpResolver.detect().matches("\\d+\\.\\d+\\.\\d+\\.\\d+"));
  }
}
