package io.staticlet.core.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML token stream in which every alias ({@code *name}) is replaced by the tokens of the value
 * its anchor ({@code &name}) marked, as YAML means it; jackson-dataformat-yaml alone would hand the
 * anchor's name over as a string. Anchored values are recorded while they stream past (aliases in
 * them already expanded); {@link ManifestScan} has checked beforehand that every alias refers to a
 * complete anchor and that the expansion stays small, so the recordings are bounded. A JSON parser
 * passes through unchanged.
 *
 * <p>While an alias is replayed, {@link #getParsingContext()} is the replayed value's own context,
 * so a field path reported from inside expanded content starts at the alias.
 */
final class AliasExpandingParser extends JsonParserDelegate {
  private record Recording(String anchor, int depth, TokenBuffer buffer) {}

  private final JsonParser source;
  private final YAMLParser yaml;
  private final Map<String, TokenBuffer> anchors = new HashMap<>();
  private final Deque<Recording> recordings = new ArrayDeque<>();
  private JsonParser replay;
  private int depth;

  AliasExpandingParser(JsonParser source) {
    super(source);
    this.source = source;
    this.yaml = source instanceof YAMLParser y ? y : null;
  }

  @Override
  public JsonToken nextToken() throws IOException {
    JsonToken token = advance();
    if (token == null) {
      return null;
    }
    for (Recording recording : recordings) {
      recording.buffer().copyCurrentEvent(delegate);
    }
    if (token.isStructStart()) {
      depth++;
    } else if (token.isStructEnd()) {
      depth--;
    }
    while (!recordings.isEmpty()
        && recordings.peek().depth() == depth
        && token != JsonToken.FIELD_NAME) {
      Recording done = recordings.pop();
      anchors.put(done.anchor(), done.buffer());
    }
    return token;
  }

  @Override
  public JsonToken nextValue() throws IOException {
    JsonToken token = nextToken();
    return token == JsonToken.FIELD_NAME ? nextToken() : token;
  }

  /** Skips by pulling tokens through this parser, so recordings and replays stay consistent. */
  @Override
  public JsonParser skipChildren() throws IOException {
    JsonToken token = currentToken();
    if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
      return this;
    }
    int open = 1;
    while (open > 0) {
      JsonToken next = nextToken();
      if (next == null) {
        break;
      }
      if (next.isStructStart()) {
        open++;
      } else if (next.isStructEnd()) {
        open--;
      }
    }
    return this;
  }

  @Override
  public JsonStreamContext getParsingContext() {
    return delegate.getParsingContext();
  }

  private JsonToken advance() throws IOException {
    if (replay != null) {
      JsonToken token = replay.nextToken();
      if (token != null) {
        return token;
      }
      replay.close();
      replay = null;
      delegate = source;
    }
    JsonToken token = source.nextToken();
    if (token == null || yaml == null) {
      return token;
    }
    if (yaml.isCurrentAlias()) {
      TokenBuffer anchored = anchors.get(yaml.getText());
      if (anchored == null) {
        throw new ManifestScan.Problem(
            "alias *" + yaml.getText() + " refers to no anchor defined before it");
      }
      replay = anchored.asParser(source.getCodec());
      delegate = replay;
      return replay.nextToken();
    }
    String anchor = AnchorAwareYamlFactory.anchor(yaml);
    if (anchor != null && token != JsonToken.FIELD_NAME) {
      recordings.push(new Recording(anchor, depth, new TokenBuffer(source, null)));
    }
    return token;
  }
}
