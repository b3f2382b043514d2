package io.staticlet.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.staticlet.core.manifest.ManifestFileFilter.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestFileFilterTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "web.yaml, READ",
    "web.yml, READ",
    "web.json, READ",
    "web, READ",
    "README, READ",
    "49130, READ",
    ".web.yaml, HIDDEN",
    ".web.yaml.swp, HIDDEN",
    "..data, HIDDEN",
    "web.yaml~, LEFTOVER",
    "web.yaml.swp, LEFTOVER",
    "web.yaml.swx, LEFTOVER",
    "web.yaml.bak, LEFTOVER",
    "web.yaml.orig, LEFTOVER",
    "web.yaml.tmp, LEFTOVER",
    "web.yaml.dpkg-old, LEFTOVER",
    "web.yaml.dpkg-dist, LEFTOVER",
    "web.yaml.rpmnew, LEFTOVER",
    "web.yaml.rpmsave, LEFTOVER",
    "4913, LEFTOVER",
  })
  void classifiesNames(String name, Verdict verdict) {
    assertEquals(verdict, ManifestFileFilter.classify(name));
  }
}
