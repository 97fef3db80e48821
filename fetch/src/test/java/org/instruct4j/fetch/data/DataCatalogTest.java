package org.instruct4j.fetch.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.instruct4j.fetch.Endpoints;
import org.junit.jupiter.api.Test;

/** The shipped catalog: complete entries, origins that resolve, and pins that the offline mirror's copies meet. */
class DataCatalogTest {
    private final DataCatalog catalog = DataCatalog.load();

    @Test
    void everyFileHasAHashALicenceAndAnOriginWithAnAddress() {
        assertThat(catalog.files()).hasSizeGreaterThanOrEqualTo(50);
        Endpoints endpoints = new Endpoints(Endpoints.GITHUB_RAW, Endpoints.HUGGING_FACE, null);
        for (DataFile file : catalog.files()) {
            assertThat(file.expected().pinned()).as(file.name()).isTrue();
            assertThat(file.licence().url()).as(file.name()).startsWith("https://");
            assertThat(file.origins()).as(file.name()).isNotEmpty()
                    .allSatisfy(o -> assertThat(o.source(endpoints).uri().getScheme()).isEqualTo("https"));
        }
    }

    @Test
    void gitHubAndHubOriginsBecomeTheirRawFileAddresses() {
        Endpoints endpoints = new Endpoints(Endpoints.GITHUB_RAW, Endpoints.HUGGING_FACE, null);
        DataFile english = catalog.select("gpt4llm/alpaca_gpt4_data.json").get(0);

        assertThat(english.origins()).extracting(o -> o.source(endpoints).uri().toString()).containsExactly(
                "https://raw.githubusercontent.com/Instruction-Tuning-with-GPT-4/GPT-4-LLM/80cda626ea305004be42426671c66efebbf22144/data/alpaca_gpt4_data.json",
                "https://huggingface.co/datasets/llamafactory/alpaca_gpt4_en/resolve/main/alpaca_gpt4_data_en.json");
        assertThat(english.expected().size()).isEqualTo(43_379_276L);
        assertThat(english.licence().name()).isEqualTo("CC BY-NC 4.0");
        assertThat(catalog.select("models/llama2_tokenizer/tokenizer.model").get(0).licence().name())
                .isEqualTo("Llama 2 Community License");
    }

    @Test
    void theOfflineMirrorsCopiesAreThePinnedFiles() throws Exception {
        Optional<Path> mirror = DataFiles.mirrorFromEnvironment().or(DataCatalogTest::sharedDataBesideTheRepository);
        assumeTrue(mirror.isPresent() && Files.isDirectory(mirror.get()), "no offline mirror here");
        List<DataFile> held = catalog.files().stream().filter(f -> Files.exists(mirror.get().resolve(f.name()))).toList();

        assertThat(held).hasSizeGreaterThanOrEqualTo(45);
        for (DataFile file : held) {
            assertThat(file.expected().mismatch(mirror.get().resolve(file.name()))).as(file.name()).isEmpty();
        }
    }

    /** This machine's mirror: {@code shared/data} beside the working copy (see the testkit's SharedData). */
    private static Optional<Path> sharedDataBesideTheRepository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return Optional.of(dir.resolveSibling("shared").resolve("data"));
            }
        }
        return Optional.empty();
    }
}
