package io.staticlet.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParseCacheTest {
  @TempDir Path dir;

  @Test
  void parseAllGivesEveryFileOfAListingWhatParsingItAloneGives() throws IOException {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String text =
          i % 5 == 0
              ? "apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_" + i + "\nspec: {}\n"
              : pod("web-" + i, "busybox:" + i);
      files.add(Files.writeString(dir.resolve(String.format("%02d.yaml", i)), text));
    }

    Function<Path, ParseResult> all = new ParseCache(Fixtures.NODE).parseAll(files, Fixtures.SEEN);

    ParseCache alone = new ParseCache(Fixtures.NODE);
    for (Path file : files) {
      assertEquals(alone.parse(file, Fixtures.SEEN), all.apply(file), file.toString());
    }
    assertInstanceOf(ParseResult.Rejected.class, all.apply(files.get(0)));
    assertInstanceOf(ParseResult.Parsed.class, all.apply(files.get(1)));
  }

  @Test
  void parseAllKeepsTheResultOfAnUnchangedFileAndDecodesAChangedOne() throws IOException {
    Path same = Files.writeString(dir.resolve("same.yaml"), pod("same", "busybox:1"));
    Path edited = Files.writeString(dir.resolve("edited.yaml"), pod("edited", "busybox:1"));
    ParseCache cache = new ParseCache(Fixtures.NODE);
    List<Path> files = List.of(same, edited);
    Function<Path, ParseResult> first = cache.parseAll(files, Fixtures.SEEN);

    Files.writeString(edited, pod("edited", "busybox:2"));
    Function<Path, ParseResult> second = cache.parseAll(files, Fixtures.SEEN.plusSeconds(5));

    assertSame(first.apply(same), second.apply(same));
    assertNotSame(first.apply(edited), second.apply(edited));
    assertEquals(
        "busybox:2",
        Fixtures.parsed(second.apply(edited)).pod().getSpec().getContainers().get(0).getImage());
  }

  private static String pod(String name, String image) {
    return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: "
        + name
        + "\nspec:\n  containers:\n  - name: c\n    image: "
        + image
        + "\n";
  }
}
