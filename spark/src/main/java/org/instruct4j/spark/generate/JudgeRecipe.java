package org.instruct4j.spark.generate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.eval.judge.PairwiseJudgeTask;
import org.instruct4j.eval.judge.ScoreParse;
import org.instruct4j.eval.judge.VicunaProtocol;
import org.instruct4j.eval.qa.AnswerFile;
import org.instruct4j.eval.qa.EvalQuestion;
import org.instruct4j.eval.qa.QuestionFile;
import org.instruct4j.teacher.client.SamplingOverrides;
import org.instruct4j.teacher.run.GenerationTask;

/**
 * {@code eval judge} (pairwise, FastChat's Vicuna protocol): {@link PairwiseJudgeTask} over each partition's
 * questions. Every partition reads the whole questions file and both answer files (Self-Instruct predictions are
 * matched to the questions by position), and the protocol's prompt files when the user gave their own.
 */
public record JudgeRecipe(String judgeModel, SamplingOverrides sampling, boolean swap, ScoreParse parse, String questions,
        String answersA, String answersB, String promptFile, String reviewerFile) implements TaskRecipe {

    @Override
    public String name() {
        return "judge";
    }

    @Override
    public List<String> sideFiles() {
        List<String> files = new ArrayList<>(List.of(questions, answersA, answersB));
        if (promptFile != null) {
            files.add(promptFile);
        }
        if (reviewerFile != null) {
            files.add(reviewerFile);
        }
        return files;
    }

    @Override
    public boolean numbersRows() {
        return false;
    }

    @Override
    public GenerationTask<?> open(Path rows, List<Path> sideFiles, Path workDir) {
        List<EvalQuestion> all = QuestionFile.read(sideFiles.get(0));
        AnswerFile a = AnswerFile.read(sideFiles.get(1), all);
        AnswerFile b = AnswerFile.read(sideFiles.get(2), all);
        int next = 3;
        Path prompts = promptFile != null ? sideFiles.get(next++) : null;
        Path reviewers = reviewerFile != null ? sideFiles.get(next) : null;
        return new PairwiseJudgeTask(QuestionFile.read(rows), a, b, VicunaProtocol.read(prompts, reviewers), judgeModel, sampling, swap,
                parse);
    }
}
