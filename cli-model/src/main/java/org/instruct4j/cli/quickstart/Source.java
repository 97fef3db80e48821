package org.instruct4j.cli.quickstart;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.cli.data.DataPaths;
import org.instruct4j.fetch.HubClient;

/**
 * Where the quickstart's data or base model comes from: a local path, a name of the project's data layer written
 * {@code data:NAME}, or the Hugging Face hub, written {@code hf:ORG/NAME} for a model repository and
 * {@code hf:datasets/ORG/NAME/FILE} for one file of a dataset repository. Hub files are downloaded once into the run
 * directory (resumable, verified against the hub's hashes).
 */
record Source(String spec) {
    private static final String HUB = "hf:";
    private static final String DATASETS = "datasets/";
    /** The files a model directory needs; weights in other formats (pytorch_model.bin, onnx, gguf) are skipped. */
    private static final Pattern MODEL_FILES = Pattern.compile("config\\.json|generation_config\\.json|model\\.safetensors"
            + "|model-\\d+-of-\\d+\\.safetensors|model\\.safetensors\\.index\\.json|tokenizer\\.(json|model|bin)"
            + "|tokenizer_config\\.json|special_tokens_map\\.json|added_tokens\\.json");

    boolean onHub() {
        return spec.startsWith(HUB) && !Files.exists(Path.of(spec));
    }

    /** A local file for a dataset source, downloading it into {@code downloads} first when it is on the hub. */
    Path datasetFile(Path downloads, HubClient hub, Consumer<String> progress) {
        if (!onHub()) {
            return local();
        }
        String ref = spec.substring(HUB.length());
        if (!ref.startsWith(DATASETS) || ref.split("/").length < 4) {
            throw new BadInputException("--data " + spec + ": a hub dataset is written hf:datasets/ORG/NAME/FILE");
        }
        String[] parts = ref.substring(DATASETS.length()).split("/", 3);
        String repo = parts[0] + "/" + parts[1];
        String file = parts[2];
        Path dir = downloads.resolve("datasets").resolve(parts[0]).resolve(parts[1]);
        hub.download(HubClient.RepoType.DATASET, repo, "main", dir, file::equals, progress);
        return dir.resolve(file);
    }

    /** A local model directory or checkpoint, downloading the model repository first when it is on the hub. */
    Path modelPath(Path downloads, HubClient hub, Consumer<String> progress) {
        if (!onHub()) {
            return local();
        }
        String repo = spec.substring(HUB.length());
        if (repo.split("/").length != 2) {
            throw new BadInputException("--base " + spec + ": a hub model is written hf:ORG/NAME");
        }
        Path dir = downloads.resolve("models").resolve(repo);
        Predicate<String> wanted = name -> MODEL_FILES.matcher(name).matches();
        hub.download(HubClient.RepoType.MODEL, repo, "main", dir, wanted, progress);
        return dir;
    }

    private Path local() {
        Path path = Path.of(DataPaths.resolve(spec));
        if (!Files.exists(path)) {
            throw new BadInputException(spec + ": no such file or directory (a hub source starts with hf:)");
        }
        return path;
    }
}
