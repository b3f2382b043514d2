package io.staticlet.core.manifest;

import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * A {@link YAMLFactory} whose parsers also tell the anchor of a scalar ({@code &img busybox}):
 * jackson-dataformat-yaml reports anchors of collections only, and reports an alias as a string
 * holding the anchor's name. {@link AliasExpandingParser} and {@link ManifestScan} need both to
 * give aliases their YAML meaning. Streams only (the manifest is never held as a byte array).
 */
final class AnchorAwareYamlFactory extends YAMLFactory {
  private static final long serialVersionUID = 1L;

  AnchorAwareYamlFactory(YAMLFactoryBuilder builder) {
    super(builder);
  }

  @Override
  protected YAMLParser _createParser(InputStream in, IOContext ctxt) throws IOException {
    return new Parser(
        ctxt,
        _parserFeatures,
        _yamlParserFeatures,
        _loaderOptions,
        _objectCodec,
        _createReader(in, null, ctxt));
  }

  @Override
  protected YAMLParser _createParser(Reader reader, IOContext ctxt) throws IOException {
    return new Parser(
        ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, reader);
  }

  /**
   * The anchor of the current token: a collection's ({@code &a [..]}) or a scalar's ({@code &a x});
   * null if none.
   */
  static String anchor(YAMLParser parser) {
    String anchor = parser.getCurrentAnchor();
    if (anchor == null
        && parser instanceof Parser ours
        && parser.currentToken() != null
        && parser.currentToken().isScalarValue()
        && ours.lastEvent() instanceof ScalarEvent scalar) {
      anchor = scalar.getAnchor();
    }
    return anchor;
  }

  private static final class Parser extends YAMLParser {
    Parser(
        IOContext ctxt,
        int parserFeatures,
        int formatFeatures,
        LoaderOptions options,
        ObjectCodec codec,
        Reader reader) {
      super(ctxt, parserFeatures, formatFeatures, options, codec, reader);
    }

    Object lastEvent() {
      return _lastEvent;
    }
  }
}
