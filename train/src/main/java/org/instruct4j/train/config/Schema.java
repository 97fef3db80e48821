package org.instruct4j.train.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The settings of a recipe, in the order they are documented and written, and the rules that tie several of them
 * together (the batch is a whole number of micro-batches). Resolution happens here and only here, as torchtune
 * resolves its configs: the defaults, then a YAML file, then {@code --key=value} overrides, later ones winning.
 */
public final class Schema {
    private final Map<String, Setting<?>> settings;
    private final List<Consumer<Settings>> rules;

    private Schema(Map<String, Setting<?>> settings, List<Consumer<Settings>> rules) {
        this.settings = settings;
        this.rules = rules;
    }

    public static Schema of(List<Setting<?>> settings) {
        Map<String, Setting<?>> byName = new LinkedHashMap<>();
        for (Setting<?> setting : settings) {
            if (byName.put(setting.name(), setting) != null) {
                throw new IllegalStateException("setting " + setting.name() + " declared twice");
            }
        }
        return new Schema(byName, List.of());
    }

    /** This schema and {@code more} settings after it. */
    public Schema plus(Setting<?>... more) {
        List<Setting<?>> all = new ArrayList<>(settings.values());
        all.addAll(List.of(more));
        return of(all).withRules(rules);
    }

    /** The same schema with {@code setting} replaced by its variant {@code replacement} (another default or help). */
    public <T> Schema with(Setting<T> replacement) {
        if (!settings.containsKey(replacement.name())) {
            throw new IllegalStateException("no setting named " + replacement.name());
        }
        Map<String, Setting<?>> copy = new LinkedHashMap<>(settings);
        copy.put(replacement.name(), replacement);
        return new Schema(copy, rules);
    }

    /** The same schema with a rule over the resolved values, which throws BadInputException when broken. */
    public Schema rule(Consumer<Settings> rule) {
        List<Consumer<Settings>> all = new ArrayList<>(rules);
        all.add(rule);
        return new Schema(settings, List.copyOf(all));
    }

    private Schema withRules(List<Consumer<Settings>> more) {
        return new Schema(settings, List.copyOf(more));
    }

    public List<Setting<?>> settings() {
        return List.copyOf(settings.values());
    }

    Setting<?> find(String name) {
        return settings.get(Setting.normalise(name));
    }

    void checkRules(Settings values) {
        rules.forEach(rule -> rule.accept(values));
    }

    /** The defaults. */
    public Settings defaults() {
        return Settings.defaults(this);
    }

    /** The defaults, then {@code yaml} (may be null), then the {@code --key=value} overrides. */
    public Settings resolve(Path yaml, List<String> overrides) {
        Settings values = defaults();
        if (yaml != null) {
            values = values.withYaml(yaml);
        }
        return values.with(overrides);
    }
}
