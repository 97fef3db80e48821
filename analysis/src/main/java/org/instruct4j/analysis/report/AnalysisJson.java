package org.instruct4j.analysis.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.instruct4j.analysis.input.DatasetTexts;
import org.instruct4j.analysis.lengths.LengthStats;
import org.instruct4j.analysis.verbs.VerbNounCounts;
import org.instruct4j.core.io.Json;
import org.instruct4j.report.Histogram;

/** The machine-readable outputs of the analyze commands. */
public final class AnalysisJson {
    private AnalysisJson() {}

    /** Where the texts came from, then the counts (see {@link VerbNounCounts#toJson}). */
    public static ObjectNode verbs(DatasetTexts texts, VerbNounCounts counts, int top) {
        ObjectNode json = Json.object().put("name", texts.name()).put("input", texts.file().toString())
                .put("field", texts.field());
        json.setAll(counts.toJson(top));
        return json;
    }

    /** Per dataset: the statistics and the counts of the paper's histogram bins. */
    public static ObjectNode lengths(List<LengthStats> stats) {
        Histogram histogram = AnalysisCharts.lengths(stats);
        ObjectNode json = Json.object();
        ArrayNode datasets = json.putArray("datasets");
        for (int i = 0; i < stats.size(); i++) {
            ObjectNode dataset = stats.get(i).toJson();
            Histogram.Counts counts = histogram.counts().get(i);
            ObjectNode bins = dataset.putObject("histogram").put("min", histogram.min()).put("max", histogram.max())
                    .put("bins", histogram.bins()).put("outside", counts.outside());
            ArrayNode perBin = bins.putArray("counts");
            for (long count : counts.perBin()) {
                perBin.add(count);
            }
            datasets.add(dataset);
        }
        return json;
    }
}
