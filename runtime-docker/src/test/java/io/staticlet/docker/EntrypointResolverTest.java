package io.staticlet.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Container;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntrypointResolverTest {
  private static final Map<String, String> ENV = Map.of("NAME", "world", "PORT", "8080");

  @Test
  void commandReplacesImageEntrypointAndArgsBecomeCmd() {
    Container c = TestPods.container("c").withCommand("/bin/server").withArgs("--port", "$(PORT)").build();
    var resolved = EntrypointResolver.resolve(c, ENV);
    assertEquals(List.of("/bin/server"), resolved.entrypoint());
    assertEquals(List.of("--port", "8080"), resolved.cmd());
  }

  @Test
  void commandAloneLeavesCmdEmptySoDockerDropsTheImageCmd() {
    Container c = TestPods.container("c").withCommand("sh", "-c", "echo $(NAME)").build();
    var resolved = EntrypointResolver.resolve(c, ENV);
    assertEquals(List.of("sh", "-c", "echo world"), resolved.entrypoint());
    assertEquals(List.of(), resolved.cmd());
  }

  @Test
  void argsAloneKeepTheImageEntrypoint() {
    Container c = TestPods.container("c").withArgs("hello", "$(NAME)").build();
    var resolved = EntrypointResolver.resolve(c, ENV);
    assertEquals(List.of(), resolved.entrypoint());
    assertEquals(List.of("hello", "world"), resolved.cmd());
  }

  @Test
  void neitherUsesImageDefaults() {
    var resolved = EntrypointResolver.resolve(TestPods.container("c").build(), ENV);
    assertEquals(List.of(), resolved.entrypoint());
    assertEquals(List.of(), resolved.cmd());
  }

  @Test
  void escapedAndUnknownReferencesStayLiteral() {
    Container c = TestPods.container("c").withCommand("echo", "$$(NAME)", "$(MISSING)", "$NAME").build();
    assertEquals(List.of("echo", "$(NAME)", "$(MISSING)", "$NAME"), EntrypointResolver.resolve(c, ENV).entrypoint());
  }
}
