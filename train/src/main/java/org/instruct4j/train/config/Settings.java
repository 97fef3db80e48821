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
import java.util.Objects;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.BadInputException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The resolved values of a recipe's settings (immutable): read them typed with {@link #get}, derive others with
 * {@link #with}. An unknown key or a bad value is a {@link BadInputException} naming the YAML file and line or the
 * option. Written back as YAML ({@link #toYaml}), they load again to equal values.
 */
public final class Settings {
    private final Schema schema;
    private final Map<String, Object> values;

    private Settings(Schema schema, Map<String, Object> values) {
        this.schema = schema;
        this.values = values;
    }

    static Settings defaults(Schema schema) {
        Map<String, Object> values = new LinkedHashMap<>();
        schema.settings().forEach(setting -> values.put(setting.name(), setting.defaultValue()));
        Settings defaults = new Settings(schema, values);
        schema.checkRules(defaults);
        return defaults;
    }

    public Schema schema() {
        return schema;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        if (schema.find(setting.name()) == null) {
            throw new IllegalStateException("this recipe has no setting " + setting.name());
        }
        return (T) values.get(setting.name());
    }

    /** A copy with {@code setting} set to {@code value} (checked against its rule). */
    public <T> Settings with(Setting<T> setting, T value) {
        Setting<?> declared = known(setting.name(), "config");
        Map<String, Object> copy = new LinkedHashMap<>(values);
        @SuppressWarnings("unchecked")
        Setting<T> typed = (Setting<T>) declared;
        typed.check(value, "--" + setting.name());
        copy.put(setting.name(), value);
        return checked(copy);
    }

    /** A copy with command-line style overrides applied. */
    public Settings with(String... overrides) {
        return with(List.of(overrides));
    }

    /**
     * A copy with command-line overrides applied: {@code --key=value}, {@code --key value}, or a bare {@code --flag}
     * for a true/false setting.
     */
    public Settings with(List<String> args) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new BadInputException("unexpected argument '" + arg + "'; settings are given as --key=value");
            }
            String body = arg.substring(2);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            Setting<?> setting = known(name, "--" + name);
            String value;
            if (eq >= 0) {
                value = body.substring(eq + 1);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else if (setting.defaultValue() instanceof Boolean) {
                value = "true";
            } else {
                throw new BadInputException("--" + name + " needs a value (--" + name + "=VALUE)");
            }
            put(copy, setting, value, "--" + name);
        }
        return checked(copy);
    }

    /** A copy with the {@code key: value} pairs of a YAML file applied (lists allowed for list settings). */
    public Settings withYaml(Path file) {
        Node root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such config file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (MarkedYAMLException e) {
            throw new BadInputException(file + ":" + (e.getProblemMark().getLine() + 1) + ": invalid YAML: " + e.getProblem());
        }
        if (root == null) {
            return this;
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new BadInputException(file + ":" + line(root) + ": expected a mapping of setting: value");
        }
        Map<String, Object> copy = new LinkedHashMap<>(values);
        for (NodeTuple tuple : mapping.getValue()) {
            String where = file + ":" + line(tuple.getKeyNode());
            if (!(tuple.getKeyNode() instanceof ScalarNode name)) {
                throw new BadInputException(where + ": a setting name must be plain text");
            }
            put(copy, known(name.getValue(), where), scalarText(tuple.getValueNode(), where), where);
        }
        return checked(copy);
    }

    private Settings checked(Map<String, Object> copy) {
        Settings settings = new Settings(schema, copy);
        schema.checkRules(settings);
        return settings;
    }

    private Setting<?> known(String name, String where) {
        Setting<?> setting = schema.find(name);
        if (setting == null) {
            throw new BadInputException(where + ": unknown setting '" + name + "'; known settings: "
                    + String.join(", ", schema.settings().stream().map(Setting::name).toList()));
        }
        return setting;
    }

    /** "null", or an empty value for anything but text, means the default. */
    private static void put(Map<String, Object> values, Setting<?> setting, String text, String where) {
        boolean reset = text.equals("null") || text.isEmpty() && !(setting.defaultValue() instanceof String);
        values.put(setting.name(), reset ? setting.defaultValue() : setting.parse(text, where));
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
     * The settings whose values differ from {@code saved} (as "name old -> new"), leaving out those a resumed run
     * may change.
     */
    public List<String> changesFrom(Settings saved) {
        List<String> changed = new ArrayList<>();
        for (Setting<?> setting : schema.settings()) {
            String before = setting.formatAny(saved.values.get(setting.name()));
            String now = setting.formatAny(values.get(setting.name()));
            if (!setting.isResumable() && !before.equals(now)) {
                changed.add(setting.name() + " " + before + " -> " + now);
            }
        }
        return changed;
    }

    /** The values as YAML: snake_case keys, one per line, each after its help as a comment. */
    public String toYaml() {
        StringBuilder yaml = new StringBuilder();
        for (Setting<?> setting : schema.settings()) {
            Object value = values.get(setting.name());
            String text = setting.formatAny(value);
            boolean quote = value instanceof String || value instanceof Path;
            yaml.append("# ").append(setting.help()).append('\n')
                    .append(setting.name().replace('-', '_')).append(": ")
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

    @Override
    public boolean equals(Object other) {
        return other instanceof Settings that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values);
    }

    @Override
    public String toString() {
        return toYaml();
    }
}
