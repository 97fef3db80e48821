package org.instruct4j.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The MT-bench summaries print what FastChat's show_result.py prints for the same files ({@code show_result/README.md}). */
class ShowResultTest {
    @Test
    void singleAndPairwiseResultsAreFastChatsTables() throws IOException, URISyntaxException {
        Path dir = Path.of(ShowResultTest.class.getResource("/org/instruct4j/eval/report/show_result").toURI());
        Path single = dir.resolve("single.jsonl");
        Path pairwise = dir.resolve("pairwise.jsonl");
        String ours = ShowResult.single((ReviewFile.Single) ReviewFile.read(single))
                + ShowResult.pairwise((ReviewFile.Verdicts) ReviewFile.read(pairwise));
        assertThat(ours.replace(single.toString(), "single.jsonl").replace(pairwise.toString(), "pairwise.jsonl"))
                .isEqualTo(Files.readString(dir.resolve("show_result.txt")));
    }
}
