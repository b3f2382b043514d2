package io.staticlet.core.probe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A network the test controls: every target (httpGet path, {@code tcp:<port>}, {@code grpc:<port>})
 * is healthy until told otherwise.
 */
final class ScriptedNetworkProber implements NetworkProber {
  record Call(String target, String host, Instant at) {}

  private final Clock clock;
  private final Map<String, Boolean> healthy = new ConcurrentHashMap<>();
  final List<Call> calls = new CopyOnWriteArrayList<>();

  ScriptedNetworkProber(Clock clock) {
    this.clock = clock;
  }

  void fail(String target) {
    healthy.put(target, false);
  }

  void pass(String target) {
    healthy.put(target, true);
  }

  List<Instant> callTimes(String target) {
    return calls.stream().filter(c -> c.target().equals(target)).map(Call::at).toList();
  }

  long count(String target) {
    return calls.stream().filter(c -> c.target().equals(target)).count();
  }

  private ProbeResult answer(String target, String host) {
    calls.add(new Call(target, host, clock.instant()));
    return healthy.getOrDefault(target, true)
        ? ProbeResult.success()
        : ProbeResult.failure("HTTP probe failed with statuscode: 500");
  }

  @Override
  public ProbeResult httpGet(ProbeAction.HttpGet action, String host, Duration timeout) {
    return answer(action.path(), host);
  }

  @Override
  public ProbeResult tcpSocket(String host, int port, Duration timeout) {
    return answer("tcp:" + port, host);
  }

  @Override
  public ProbeResult grpc(String host, int port, String service, Duration timeout) {
    return answer("grpc:" + port, host);
  }
}
