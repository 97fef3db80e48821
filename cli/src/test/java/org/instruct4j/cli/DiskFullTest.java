package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.instruct4j.testkit.Responder;
import org.instruct4j.testkit.Tmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs on a file system that fills up (a small tmpfs; the tests skip where they cannot mount one): the command
 * ends with exit 1 and says which file and that the disk is full; what was written stays whole, and once there is
 * space again the same command finishes the job.
 */
class DiskFullTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final FakeTeacher teacher = new FakeTeacher();

    private Tmpfs small() {
        Optional<Tmpfs> mount = Tmpfs.mount(dir.resolve("small"), "size=256k");
        assumeTrue(mount.isPresent(), "mounting a small tmpfs needs root");
        return mount.get();
    }

    @Test
    void aJsonlOutputThatFillsTheDiskStopsCleanlyAndResumesOnceThereIsSpace() throws IOException {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            rows.append(Json.line(Json.object().put("id", "r" + i).put("instruction", "Write a long text [q" + i + "]."))).append('\n');
        }
        Path input = Files.writeString(dir.resolve("in.jsonl"), rows, StandardCharsets.UTF_8);
        teacher.server().responder(Responder.withContent(request -> "long text ".repeat(300)));
        try (Tmpfs fs = small()) {
            Path output = fs.dir().resolve("o.jsonl");
            Path filler = fs.fill("filler", 40_000);
            String[] args = {"generate", "answers", "--input", input.toString(), "--output", output.toString(), "--concurrency", "4"};

            CliRun full = teacher.run(args);
            assertThat(full.exitCode()).as(full.err()).isEqualTo(1);
            assertThat(full.err()).containsPattern("instruct4j: error: cannot (append to|write) " + fs.dir() + "/o\\.\\S+: the disk is full"
                    + " \\(No space left on device\\); free some space, then run the same command again");
            List<String> written = Datasets.readAll(output, row -> row.string("id"));
            assertThat(written).hasSizeBetween(1, 39).doesNotHaveDuplicates();
            int paidBefore = teacher.server().log().chatRequests();
            // The run stops once a row cannot be written: what is paid for beyond the rows written is at most what had
            // already been handed to workers then (4 per slot of --concurrency 4), never the rest of the 40 rows.
            assertThat(paidBefore).as("requests paid for after a row could not be written").isLessThanOrEqualTo(written.size() + 4 * 4);

            Files.delete(filler);
            CliRun resumed = teacher.run(args);
            assertThat(resumed.exitCode()).as(resumed.err()).isZero();
            assertThat(new HashSet<>(Datasets.readAll(output, row -> row.string("id")))).hasSize(40);
            assertThat(Files.readString(fs.dir().resolve("o.meta.json")))
                    .as("the usage of the run the full disk stopped is in the metadata").contains("usage recovered from o.usage.jsonl");
        }
    }

    @Test
    void aReportWrittenOnAFullDiskLeavesTheFormerReportWhole() throws IOException {
        Path input = Files.writeString(dir.resolve("rows.jsonl"), "{\"output\":\"a cat sat\",\"label\":\"a cat sat down\"}\n");
        try (Tmpfs fs = small()) {
            Path result = fs.dir().resolve("r.json");
            CliRun first = CliRun.of("eval", "rouge", "--input", input.toString(), "--output", result.toString());
            assertThat(first.exitCode()).as(first.err()).isZero();
            String before = Files.readString(result);
            fs.fill("filler", 0);

            CliRun full = CliRun.of("eval", "rouge", "--input", input.toString(), "--output", result.toString(), "--model-name", "other");
            assertThat(full.exitCode()).as(full.err()).isEqualTo(1);
            assertThat(full.err()).startsWith("instruct4j: error: cannot write " + result + ": the disk is full (No space left on device)");
            assertThat(Files.readString(result)).isEqualTo(before);
            try (var files = Files.list(fs.dir())) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("r.json", "filler");
            }
        }
    }
}
