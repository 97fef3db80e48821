package org.instruct4j.cli.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.eval.human.Pair;
import org.instruct4j.eval.human.PairsFile;
import org.instruct4j.eval.qa.AnswerFile;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.eval.qa.QuestionFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "pairs", mixinStandardHelpOptions = true,
        description = {"Builds the items of a human evaluation: for every question, model A's and model B's answers.",
            "Rows: {pair_id, question_id, category, question, model_a, answer_a, model_b, answer_b}."})
final class HumanPairsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Reads
    @Option(names = "--questions", required = true, paramLabel = "Q.jsonl", description = "The questions (FastChat, llm_judge or Self-Instruct format).")
    Path questions;

    @Reads
    @Option(names = "--answers", required = true, paramLabel = "A.jsonl", description = "Model A's answers, then model B's (exactly two).")
    List<Path> answers;

    @Writes
    @Option(names = "--output", required = true, paramLabel = "P.jsonl", description = "The pairs file (written atomically).")
    Path output;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Only the first N questions (0 = all).")
    int limit;

    @Override
    public Integer call() {
        if (answers.size() != 2) {
            throw new BadInputException("give exactly two --answers files (model A, then model B), got " + answers.size());
        }
        List<EvalQuestion> rows = QuestionFile.read(questions);
        if (limit > 0 && limit < rows.size()) {
            rows = rows.subList(0, limit);
        }
        List<EvalQuestion> chosen = rows;
        List<Pair> pairs = PairsFile.build(chosen, AnswerFile.read(answers.get(0), chosen), AnswerFile.read(answers.get(1), chosen));
        PairsFile.write(output, pairs);
        spec.commandLine().getErr().printf("%,d pairs (%s vs %s) -> %s%n", pairs.size(), pairs.get(0).modelA(), pairs.get(0).modelB(), output);
        return 0;
    }
}
