package org.instruct4j.model.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.BadInputException;

/**
 * The shape of a LoRA adapter, as PEFT's adapter_config.json records it: rank r, lora_alpha (the update is
 * scaled by alpha / r), lora_dropout, and target_modules (a module matches when its name is a target or ends
 * with "." + target, PEFT's rule). alpaca-lora's defaults: r 8, alpha 16, dropout 0.05, q_proj and v_proj.
 */
public record LoraSpec(int rank, double alpha, double dropout, List<String> targetModules) {
    public static final String CONFIG_FILE = "adapter_config.json";

    public LoraSpec {
        if (rank <= 0) {
            throw new BadInputException("LoRA rank must be positive, got " + rank);
        }
        if (dropout < 0 || dropout >= 1) {
            throw new BadInputException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        if (targetModules.isEmpty()) {
            throw new BadInputException("LoRA needs at least one target module (e.g. q_proj,v_proj)");
        }
        targetModules = List.copyOf(targetModules);
    }

    public static LoraSpec alpacaLora() {
        return new LoraSpec(8, 16, 0.05, List.of("q_proj", "v_proj"));
    }

    public double scale() {
        return alpha / rank;
    }

    public boolean targets(String moduleName) {
        return targetModules.stream().anyMatch(t -> moduleName.equals(t) || moduleName.endsWith("." + t));
    }

    /** Writes adapter_config.json in PEFT's layout; {@code baseModel} is recorded as base_model_name_or_path. */
    public void write(Path dir, String baseModel) {
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("base_model_name_or_path", baseModel);
        json.put("bias", "none");
        json.put("fan_in_fan_out", false);
        json.put("inference_mode", true);
        json.put("init_lora_weights", true);
        json.put("lora_alpha", alpha);
        json.put("lora_dropout", dropout);
        json.putNull("modules_to_save");
        json.put("peft_type", "LORA");
        json.put("r", rank);
        json.putObject("rank_pattern");
        json.putObject("alpha_pattern");
        var targets = json.putArray("target_modules");
        targetModules.forEach(targets::add);
        json.put("task_type", "CAUSAL_LM");
        json.put("use_dora", false);
        json.put("use_rslora", false);
        AtomicFiles.writeString(dir.resolve(CONFIG_FILE), json.toPrettyString());
    }

    /** Reads {@code dir}/adapter_config.json; only plain LoRA (no DoRA, rsLoRA, rank or alpha patterns) is accepted. */
    public static LoraSpec read(Path dir) {
        Path file = dir.resolve(CONFIG_FILE);
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!"LORA".equals(json.path("peft_type").asText("LORA"))) {
            throw new BadInputException(file + ": field \"peft_type\" is '" + json.path("peft_type").asText()
                    + "'; only LORA adapters are supported");
        }
        for (String unsupported : List.of("use_dora", "use_rslora", "fan_in_fan_out")) {
            if (json.path(unsupported).asBoolean(false)) {
                throw new BadInputException(file + ": field \"" + unsupported + "\" is true; not supported");
            }
        }
        for (String pattern : List.of("rank_pattern", "alpha_pattern")) {
            if (json.path(pattern).size() > 0) {
                throw new BadInputException(file + ": field \"" + pattern + "\" is not empty; per-module ranks are not supported");
            }
        }
        if (!json.path("r").canConvertToInt()) {
            throw new BadInputException(file + ": field \"r\" is missing or not an integer");
        }
        List<String> targets = new ArrayList<>();
        JsonNode modules = json.path("target_modules");
        if (modules.isTextual()) {
            throw new BadInputException(file + ": field \"target_modules\" is a regular expression; give a list of module names");
        }
        modules.forEach(m -> targets.add(m.asText()));
        return new LoraSpec(json.get("r").asInt(), json.path("lora_alpha").asDouble(8), json.path("lora_dropout").asDouble(0),
                targets);
    }

    /** base_model_name_or_path from {@code dir}/adapter_config.json. */
    public static String baseModel(Path dir) {
        Path file = dir.resolve(CONFIG_FILE);
        try {
            return new ObjectMapper().readTree(file.toFile()).path("base_model_name_or_path").asText("");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static boolean isAdapterDirectory(Path dir) {
        return Files.isRegularFile(dir.resolve(CONFIG_FILE));
    }
}
