package org.instruct4j.cli.quickstart;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.eval.qa.QuestionFile;
import org.instruct4j.eval.rouge.BucketScore;
import org.instruct4j.eval.rouge.RougeResult;
import org.instruct4j.report.HtmlReport;
import org.instruct4j.report.LineChart;
import org.instruct4j.report.PngCharts;
import org.instruct4j.train.plot.LossCurves;
import org.instruct4j.train.sft.SftResult;

/** The quickstart's HTML page: what was trained on what, the loss curve, ROUGE-L by length, and sample answers. */
final class QuickstartReport {
    private static final int SAMPLES = 8;
    private static final int SHOWN_CHARACTERS = 400;

    private final Quickstart.Plan plan;
    private final Path data;
    private final Path base;
    private final SftResult training;
    private final RougeResult rouge;
    private final Path eval;
    private final Duration took;

    QuickstartReport(Quickstart.Plan plan, Path data, Path base, SftResult training, RougeResult rouge, Path eval, Duration took) {
        this.plan = plan;
        this.data = data;
        this.base = base;
        this.training = training;
        this.rouge = rouge;
        this.eval = eval;
        this.took = took;
    }

    Path write(Path html) {
        LineChart loss = LossCurves.chart(List.of(training.output()));
        PngCharts.write(loss, html.resolveSibling("loss.png"));
        HtmlReport report = new HtmlReport("instruct4j quickstart");
        report.paragraph("Base model " + base + ", fine-tuned on " + data + " (" + training.dataSummary() + ") with the "
                + "GPT-4-LLM recipe (Alpaca template, prompt masked, target = output + EOS, AdamW, cosine schedule), bounded to "
                + plan.maxTime() + ": " + training.steps() + " of " + training.totalSteps() + " planned steps. This run took "
                + format(took) + ".");
        report.table(List.of("measure", "value"), List.of(
                List.of("training loss at the end", number(training.lastLoss())),
                List.of("held-out loss before training", number(training.firstEvalLoss())),
                List.of("held-out loss after training", number(training.lastEvalLoss())),
                List.of("ROUGE-L vs the teacher on the held-out sample", number(all(rouge).rougeL()))));
        report.heading("Loss").chart(loss, "loss.png");
        report.heading("ROUGE against the teacher's answers, by reference length in words");
        List<List<String>> buckets = new ArrayList<>();
        for (BucketScore b : rouge.buckets(true)) {
            buckets.add(List.of(b.length(), Long.toString(b.rows()), number(b.rouge1()), number(b.rouge2()), number(b.rougeL())));
        }
        report.table(List.of("length", "rows", "ROUGE-1", "ROUGE-2", "ROUGE-L"), buckets);
        report.heading("Held-out instructions: the teacher's and the student's answers");
        Map<String, String> student = answers(eval.resolve("heldout_answers.jsonl"), "id", "output");
        List<List<String>> rows = new ArrayList<>();
        Datasets.forEach(plan.output().resolve("data/heldout.jsonl"), row -> row, (JsonRow row) -> {
                    if (rows.size() < SAMPLES) {
                        rows.add(List.of(clip(row.string("instruction") + (row.optionalString("input", "").isEmpty() ? ""
                                : "\n" + row.optionalString("input", ""))), clip(row.string("output")),
                                clip(student.getOrDefault(row.string("id"), ""))));
                    }
                });
        report.table(List.of("instruction", "teacher", "student"), rows);
        report.heading("Vicuna questions: the student's answers");
        Map<String, String> byQuestion = answers(eval.resolve("vicuna_answers.jsonl"), "question_id", "text");
        List<List<String>> vicuna = new ArrayList<>();
        for (EvalQuestion question : QuestionFile.read(plan.questions())) {
            if (vicuna.size() < SAMPLES && byQuestion.containsKey(question.key())) {
                vicuna.add(List.of(question.category(), clip(question.text()), clip(byQuestion.get(question.key()))));
            }
        }
        report.table(List.of("category", "question", "answer"), vicuna);
        report.paragraph("Files: the model in " + training.output() + "; answers and ROUGE in " + eval
                + " (vicuna_answers.jsonl can go straight into instruct4j eval judge).");
        report.write(html);
        return html;
    }

    private static BucketScore all(RougeResult rouge) {
        List<BucketScore> buckets = rouge.buckets(false);
        return buckets.get(buckets.size() - 1);
    }

    private static Map<String, String> answers(Path file, String idField, String textField) {
        Map<String, String> byId = new HashMap<>();
        Datasets.forEach(file, row -> row, (JsonRow row) -> byId.put(row.node().path(idField).asText(), row.string(textField)));
        return byId;
    }

    private static String clip(String text) {
        return text.length() <= SHOWN_CHARACTERS ? text : text.substring(0, SHOWN_CHARACTERS) + " ...";
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String format(Duration d) {
        return String.format(Locale.ROOT, "%d min %02d s", d.toMinutes(), d.toSecondsPart());
    }
}
