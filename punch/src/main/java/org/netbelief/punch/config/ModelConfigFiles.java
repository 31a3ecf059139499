package org.netbelief.punch.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.netbelief.model.EvidenceTable;
import org.netbelief.model.Prior;

/**
 * Reads and writes model configuration files: documented JSON, strict on load.
 *
 * <pre>{@code
 * ModelConfig config = ModelConfigFiles.load(Path.of("model.json"));
 * FactorConfig uplink = config.factor("UPLINK");
 * ModelConfigFiles.save(config, Path.of("model-copy.json"));
 * }</pre>
 *
 * <p><b>Format</b> (version 1; {@code docs/tuning-priors.md} has the walk-through):
 *
 * <pre>
 * {
 *   "format": "netbelief-model",          required, exactly this
 *   "version": 1,                         required, 1
 *   "description": "fitted from …",       optional text
 *   "factors": {                          required, at least one; names are free text
 *     "UPLINK": {
 *       "halfLifeSeconds": 600.0,         required, 0.001 … 31 536 000 (1 ms … 365 days)
 *       "maxRows": 1048576,               optional, 1 … 2^28, default 2^20
 *       "prior": {                        required: the root prior (level 0)
 *         "mean": 0.95,                   required, strictly between 0 and 1
 *         "strength": 10.0,               required, finite and &gt; 0 (pseudo-observations)
 *         "meanStdError": 0.004,          optional, ≥ 0: written by a fit
 *         "strengthStdError": 1.1         optional, ≥ 0: written by a fit
 *       },
 *       "levels": [                       required, at least one, general first
 *         { "name": "global" },           level 0: its strength is the prior's (may be
 *                                         repeated, but must then equal prior.strength)
 *         { "name": "remotePrefix",
 *           "strength": 4.0,              required below level 0, finite and &gt; 0
 *           "strengthStdError": 0.3 }     optional, ≥ 0
 *       ]
 *     }
 *   }
 * }
 * </pre>
 *
 * <p>Unknown fields and duplicate keys are refused (a misspelt {@code "halfLife"} must not be
 * silently ignored). Every refusal is a {@link ModelConfigException} naming the file, the field
 * path and the value. {@link #save} writes the same format, pretty-printed, atomically (a
 * temporary file in the same folder, then a rename).
 */
public final class ModelConfigFiles {
  /** The value of the {@code format} field. */
  public static final String FORMAT = "netbelief-model";
  /** The format version this class reads and writes. */
  public static final int VERSION = 1;

  private static final double NANOS_PER_SECOND = 1e9;
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private ModelConfigFiles() {}

  /**
   * Loads and validates a configuration file.
   *
   * @throws ModelConfigException naming the file, field and value when it is malformed or a
   *     value is impossible
   * @throws IOException when the file cannot be read
   */
  public static ModelConfig load(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Parses and validates configuration text; {@code source} names it in error messages.
   *
   * @throws ModelConfigException when malformed or a value is impossible
   */
  public static ModelConfig parse(String json, String source) throws ModelConfigException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ModelConfigException(source + ": not valid JSON: " + e.getOriginalMessage()
          + " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")", "", e);
    }
    return new Reader(source).config(root);
  }

  /**
   * Writes {@code config} to {@code file} atomically.
   *
   * @throws IOException when the file cannot be written; a previous file is then intact
   */
  public static void save(ModelConfig config, Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
    try {
      Files.writeString(tmp, format(config), StandardCharsets.UTF_8);
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The configuration as JSON text, as {@link #save} writes it. */
  public static String format(ModelConfig config) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    if (!config.description().isEmpty()) {
      root.put("description", config.description());
    }
    ObjectNode factors = root.putObject("factors");
    for (Map.Entry<String, FactorConfig> e : config.factors().entrySet()) {
      FactorConfig f = e.getValue();
      ObjectNode fn = factors.putObject(e.getKey());
      fn.put("halfLifeSeconds", f.halfLifeNanos() / NANOS_PER_SECOND);
      fn.put("maxRows", f.maxRows());
      ObjectNode prior = fn.putObject("prior");
      prior.put("mean", f.prior().mean());
      prior.put("strength", f.prior().strength());
      putIfFinite(prior, "meanStdError", f.priorMeanStdError());
      putIfFinite(prior, "strengthStdError", f.priorStrengthStdError());
      ArrayNode levels = fn.putArray("levels");
      for (int i = 0; i < f.levels().size(); i++) {
        LevelConfig level = f.levels().get(i);
        ObjectNode ln = levels.addObject();
        ln.put("name", level.name());
        if (i > 0) {
          ln.put("strength", level.strength());
        }
        putIfFinite(ln, "strengthStdError", level.strengthStdError());
      }
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serialises", e);
    }
  }

  private static void putIfFinite(ObjectNode node, String field, double v) {
    if (Double.isFinite(v)) {
      node.put(field, v);
    }
  }

  /** Validating reader; every error names the source, the field path and the value. */
  private static final class Reader {
    private final String source;

    Reader(String source) {
      this.source = source;
    }

    ModelConfigException error(String path, JsonNode value, String why) {
      return new ModelConfigException(
          source + ": " + path + " = " + (value == null ? "(missing)" : value.toString())
              + ": " + why, path, null);
    }

    ModelConfig config(JsonNode root) throws ModelConfigException {
      object(root, "(top level)");
      allow(root, "", Set.of("format", "version", "description", "factors"));
      JsonNode format = required(root, "", "format");
      if (!format.isTextual() || !FORMAT.equals(format.asText())) {
        throw error("format", format, "must be \"" + FORMAT + "\"");
      }
      JsonNode version = required(root, "", "version");
      if (!version.isIntegralNumber() || version.asInt() != VERSION) {
        throw error("version", version, "this reader knows version " + VERSION + " only");
      }
      String description = "";
      if (root.has("description")) {
        JsonNode d = root.get("description");
        if (!d.isTextual()) {
          throw error("description", d, "must be a string");
        }
        description = d.asText();
      }
      JsonNode factors = required(root, "", "factors");
      object(factors, "factors");
      if (factors.isEmpty()) {
        throw error("factors", factors, "must hold at least one factor");
      }
      Map<String, FactorConfig> out = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : factors.properties()) {
        if (e.getKey().isBlank()) {
          throw error("factors.\"\"", e.getValue(), "factor names must not be blank");
        }
        out.put(e.getKey(), factor(e.getValue(), "factors." + e.getKey()));
      }
      return new ModelConfig(description, out);
    }

    FactorConfig factor(JsonNode node, String path) throws ModelConfigException {
      object(node, path);
      allow(node, path, Set.of("halfLifeSeconds", "maxRows", "prior", "levels"));
      double hl = number(node, path, "halfLifeSeconds");
      double hlNanos = hl * NANOS_PER_SECOND;
      if (!(hlNanos >= EvidenceTable.MIN_HALF_LIFE_NANOS
          && hlNanos <= EvidenceTable.MAX_HALF_LIFE_NANOS)) {
        throw error(path + ".halfLifeSeconds", node.get("halfLifeSeconds"),
            "must lie in [0.001, 31536000] seconds (1 ms to 365 days)");
      }
      int maxRows = FactorConfig.DEFAULT_MAX_ROWS;
      if (node.has("maxRows")) {
        JsonNode m = node.get("maxRows");
        if (!m.isIntegralNumber() || m.asLong() < 1 || m.asLong() > (1 << 28)) {
          throw error(path + ".maxRows", m, "must be a whole number in [1, 268435456]");
        }
        maxRows = m.asInt();
      }
      JsonNode priorNode = required(node, path, "prior");
      String pp = path + ".prior";
      object(priorNode, pp);
      allow(priorNode, pp, Set.of("mean", "strength", "meanStdError", "strengthStdError"));
      double mean = number(priorNode, pp, "mean");
      if (!(mean > 0.0 && mean < 1.0)) {
        throw error(pp + ".mean", priorNode.get("mean"), "must lie strictly between 0 and 1");
      }
      double strength = positive(priorNode, pp, "strength");
      double meanSe = optionalStdError(priorNode, pp, "meanStdError");
      double strengthSe = optionalStdError(priorNode, pp, "strengthStdError");

      JsonNode levelsNode = required(node, path, "levels");
      String lp = path + ".levels";
      if (!levelsNode.isArray() || levelsNode.isEmpty()) {
        throw error(lp, levelsNode, "must be a non-empty array of levels, general first");
      }
      List<LevelConfig> levels = new ArrayList<>();
      for (int i = 0; i < levelsNode.size(); i++) {
        String ip = lp + "[" + i + "]";
        JsonNode ln = levelsNode.get(i);
        object(ln, ip);
        allow(ln, ip, Set.of("name", "strength", "strengthStdError"));
        JsonNode name = required(ln, ip, "name");
        if (!name.isTextual() || name.asText().isBlank()) {
          throw error(ip + ".name", name, "must be a non-blank string");
        }
        for (LevelConfig seen : levels) {
          if (seen.name().equals(name.asText())) {
            throw error(ip + ".name", name, "repeats an earlier level's name");
          }
        }
        double k;
        if (i == 0) {
          k = strength;
          if (ln.has("strength")) {
            double given = positive(ln, ip, "strength");
            if (given != strength) {
              throw error(ip + ".strength", ln.get("strength"), "level 0 takes the prior's"
                  + " strength (" + strength + "): remove it or set prior.strength");
            }
          }
        } else {
          k = positive(ln, ip, "strength");
        }
        levels.add(new LevelConfig(name.asText(), k, optionalStdError(ln, ip,
            "strengthStdError")));
      }
      return new FactorConfig(Math.round(hlNanos), maxRows, Prior.of(mean, strength), meanSe,
          strengthSe, levels);
    }

    void object(JsonNode node, String path) throws ModelConfigException {
      if (!node.isObject()) {
        throw error(path, node, "must be a JSON object");
      }
    }

    void allow(JsonNode node, String path, Set<String> names) throws ModelConfigException {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String n = e.getKey();
        if (!names.contains(n)) {
          throw error(join(path, n), node.get(n), "unknown field; expected one of "
              + new java.util.TreeSet<>(names));
        }
      }
    }

    JsonNode required(JsonNode node, String path, String field) throws ModelConfigException {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        throw error(join(path, field), null, "required");
      }
      return v;
    }

    double number(JsonNode node, String path, String field) throws ModelConfigException {
      JsonNode v = required(node, path, field);
      if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
        throw error(join(path, field), v, "must be a finite number");
      }
      return v.asDouble();
    }

    double positive(JsonNode node, String path, String field) throws ModelConfigException {
      double v = number(node, path, field);
      if (!(v > 0.0)) {
        throw error(join(path, field), node.get(field), "must be > 0");
      }
      return v;
    }

    double optionalStdError(JsonNode node, String path, String field)
        throws ModelConfigException {
      if (!node.has(field)) {
        return Double.NaN;
      }
      double v = number(node, path, field);
      if (v < 0.0) {
        throw error(join(path, field), node.get(field), "a standard error must be >= 0");
      }
      return v;
    }

    static String join(String path, String field) {
      return path.isEmpty() ? field : path + "." + field;
    }
  }
}
