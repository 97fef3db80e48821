package org.instruct4j.train.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.BadInputException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Resolves a recipe's settings the way torchtune and axolotl do: the defaults, then a YAML file, then
 * {@code --key=value} overrides from the command line, later ones winning. An unknown key or a bad value is an
 * {@link org.instruct4j.core.io.BadInputException} naming the file and line or the option. The resolved values can be written
 * back as YAML, which loads again to the same values.
 */
public final class ConfigValues {
    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();

    public ConfigValues(List<ConfigKey> keys) {
        for (ConfigKey key : keys) {
            this.keys.put(key.name(), key);
            values.put(key.name(), key.defaultValue());
        }
    }

    /** A recipe's settings: the defaults of {@code keys}, then {@code yaml} (may be null), then the overrides. */
    public static ConfigValues resolve(List<ConfigKey> keys, Path yaml, List<String> overrides) {
        ConfigValues values = new ConfigValues(keys);
        if (yaml != null) {
            values.applyYaml(yaml);
        }
        return values.applyOverrides(overrides);
    }

    public List<ConfigKey> keys() {
        return List.copyOf(keys.values());
    }

    public Object get(String name) {
        if (!keys.containsKey(name)) {
            throw new IllegalStateException("no setting named " + name);
        }
        return values.get(name);
    }

    /** Sets {@code name} from text; {@code where} names the source for errors. */
    public ConfigValues set(String name, String text, String where) {
        ConfigKey key = key(name, where);
        values.put(key.name(), text.equals("null") || text.isEmpty() && key.type() != ConfigKey.Type.TEXT ? key.defaultValue()
                : key.parse(text, where));
        return this;
    }

    private ConfigKey key(String name, String where) {
        ConfigKey key = keys.get(ConfigKey.normalise(name));
        if (key == null) {
            throw new BadInputException(where + ": unknown setting '" + name + "'; known settings: "
                    + String.join(", ", keys.keySet()));
        }
        return key;
    }

    /** Applies a YAML file of {@code key: value} pairs (lists allowed for list settings). */
    public ConfigValues applyYaml(Path file) {
        Node root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such config file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
            throw new BadInputException(file + ":" + (e.getProblemMark().getLine() + 1) + ": invalid YAML: " + e.getProblem());
        }
        if (root == null) {
            return this;
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new BadInputException(file + ":" + line(root) + ": expected a mapping of setting: value");
        }
        for (NodeTuple tuple : mapping.getValue()) {
            String where = file + ":" + line(tuple.getKeyNode());
            if (!(tuple.getKeyNode() instanceof ScalarNode name)) {
                throw new BadInputException(where + ": a setting name must be plain text");
            }
            set(name.getValue(), scalarText(tuple.getValueNode(), where), where);
        }
        return this;
    }

    private static String scalarText(Node node, String where) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        if (node instanceof SequenceNode sequence) {
            List<String> items = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                if (!(item instanceof ScalarNode scalar)) {
                    throw new BadInputException(where + ": list items must be plain values");
                }
                items.add(scalar.getValue());
            }
            return String.join(",", items);
        }
        throw new BadInputException(where + ": expected a value or a list, got a mapping");
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    /**
     * Applies command-line overrides: {@code --key=value}, {@code --key value}, or a bare {@code --flag} for a
     * boolean setting (true).
     */
    public ConfigValues applyOverrides(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new BadInputException("unexpected argument '" + arg + "'; settings are given as --key=value");
            }
            String body = arg.substring(2);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            ConfigKey key = key(name, "--" + name);
            String value;
            if (eq >= 0) {
                value = body.substring(eq + 1);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else if (key.type() == ConfigKey.Type.BOOLEAN) {
                value = "true";
            } else {
                throw new BadInputException("--" + name + " needs a value (--" + name + "=VALUE)");
            }
            set(name, value, "--" + name);
        }
        return this;
    }

    /** The resolved settings as YAML (snake_case keys, one per line, with their help as comments). */
    public String toYaml() {
        StringBuilder yaml = new StringBuilder();
        for (ConfigKey key : keys.values()) {
            yaml.append("# ").append(key.description()).append('\n');
            Object value = values.get(key.name());
            String text = ConfigKey.format(value);
            boolean quote = value instanceof String || value instanceof java.nio.file.Path;
            yaml.append(key.name().replace('-', '_')).append(": ")
                    .append(value == null ? "null" : quote ? quoted(text) : text).append('\n');
        }
        return yaml.toString();
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    public void writeYaml(Path file) {
        AtomicFiles.writeString(file, toYaml());
    }
}
