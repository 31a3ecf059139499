package org.netbelief.punch.sim;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@link Scenario}s from JSON or YAML files and writes them back as JSON.
 *
 * <p>A file is refused with a {@link ScenarioException} naming the file, the line and column and
 * the field: unknown fields, values of the wrong type, syntax errors (positions from Jackson's
 * {@link JsonMappingException#getLocation()}), and impossible values such as a negative rate or a
 * probability outside [0, 1] (positions from an index of where each field was written).
 *
 * <pre>{@code
 * Scenario s = ScenarioLoader.load(Path.of("my-scenario.yaml"));
 * }</pre>
 */
public final class ScenarioLoader {
  private ScenarioLoader() {}

  private static <M extends ObjectMapper, B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<M, B>>
      M configure(B builder) {
    return builder
        .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
        .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
        .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .build();
  }

  private static final ObjectMapper JSON = configure(JsonMapper.builder());
  private static final ObjectMapper YAML = configure(YAMLMapper.builder(new YAMLFactory()));

  /**
   * Loads a scenario file; {@code .yaml} and {@code .yml} files are YAML, everything else JSON.
   *
   * @throws ScenarioException when the file is invalid
   * @throws IOException when it cannot be read
   */
  public static Scenario load(Path file) throws IOException {
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    boolean yaml = lower.endsWith(".yaml") || lower.endsWith(".yml");
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), yaml);
  }

  /**
   * Parses scenario text.
   *
   * @param fileName the name used in error messages
   * @param yaml whether the text is YAML (else JSON)
   * @throws ScenarioException when the text is invalid
   */
  public static Scenario parse(String text, String fileName, boolean yaml) {
    ObjectMapper mapper = yaml ? YAML : JSON;
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Scenario s;
    try {
      s = mapper.readValue(bytes, Scenario.class);
    } catch (JsonMappingException e) {
      JsonLocation loc = e.getLocation();
      throw new ScenarioException(fileName, line(loc), column(loc), path(e.getPath()),
          e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      throw new ScenarioException(fileName, line(loc), column(loc), "", e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ScenarioException(fileName, 0, 0, "", e.getMessage(), e);
    }
    if (s == null) {
      throw new ScenarioException(fileName, 1, 1, "", "the file holds no scenario object", null);
    }
    List<Scenario.Problem> problems = s.problems();
    if (!problems.isEmpty()) {
      Scenario.Problem first = problems.get(0);
      Map<String, JsonLocation> where = index(mapper.getFactory(), bytes);
      JsonLocation loc = nearest(where, first.field());
      String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "";
      throw new ScenarioException(
          fileName, line(loc), column(loc), first.field(), first.message() + more, null);
    }
    return s;
  }

  /** The scenario as JSON, fields sorted: the exact input that reproduces a run. */
  public static String toJson(Scenario s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write scenario", e);
    }
  }

  private static int line(JsonLocation loc) {
    return loc == null ? 0 : Math.max(0, loc.getLineNr());
  }

  private static int column(JsonLocation loc) {
    return loc == null ? 0 : Math.max(0, loc.getColumnNr());
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** Where each field path was written, for naming the line of an impossible value. */
  private static Map<String, JsonLocation> index(JsonFactory factory, byte[] bytes) {
    Map<String, JsonLocation> out = new HashMap<>();
    try (JsonParser p = factory.createParser(bytes)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME) {
          out.putIfAbsent(pointerToPath(p.getParsingContext().pathAsPointer()),
              p.currentTokenLocation());
        }
      }
    } catch (IOException e) {
      // The file parsed once already; a failure here only costs the line number.
    }
    return out;
  }

  private static String pointerToPath(JsonPointer ptr) {
    StringBuilder sb = new StringBuilder();
    for (JsonPointer q = ptr; q != null && !q.matches(); q = q.tail()) {
      if (q.mayMatchElement()) {
        sb.append('[').append(q.getMatchingIndex()).append(']');
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(q.getMatchingProperty());
      }
    }
    return sb.toString();
  }

  private static JsonLocation nearest(Map<String, JsonLocation> where, String field) {
    String f = field;
    while (!f.isEmpty()) {
      JsonLocation loc = where.get(f);
      if (loc != null) {
        return loc;
      }
      int cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
      f = cut < 0 ? "" : f.substring(0, cut);
    }
    return null;
  }
}
