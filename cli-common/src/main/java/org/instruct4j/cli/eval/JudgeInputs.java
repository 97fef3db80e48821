package org.instruct4j.cli.eval;

import java.nio.file.Path;
import java.util.List;
import org.instruct4j.cli.Reads;
import org.instruct4j.cli.data.DataPaths;
import picocli.CommandLine.Option;

/** What {@code eval judge} and {@code spark judge} judge: the questions, the answers, the order, the prompts. */
public final class JudgeInputs {
    /** A string, not a Path: a Spark job may read it from any file system Spark knows (hdfs://, s3a://), which Path would mangle. */
    @Reads
    @Option(names = "--questions", required = true, paramLabel = "Q.jsonl", description = "The questions (FastChat, llm_judge or Self-Instruct format).")
    String questions;

    @Reads
    @Option(names = "--answers", required = true, paramLabel = "A.jsonl",
            description = "A model's answers, one file per model: pairwise judging needs two (Assistant 1, then 2); --mode single takes one or more.")
    List<Path> answers;

    @Option(names = "--swap", description = "pairwise: judge each question a second time with the answers swapped (position bias).")
    boolean swap;

    @Option(names = "--parse", defaultValue = "fastchat", paramLabel = "fastchat|lenient",
            description = "How scores are read from the judge's text: fastchat (default: exactly FastChat's parser; unreadable reviews "
                    + "are counted and listed) or lenient (also the score tuple, \"Assistant 1: n/10\" and \"Rating: n\" forms the "
                    + "prompts asked for; recovered rows are marked).")
    String parse;

    @Reads
    @Option(names = "--prompt-file", paramLabel = "prompt.jsonl", description = "FastChat's table/prompt.jsonl to use instead of the bundled copy.")
    Path promptFile;

    @Reads
    @Option(names = "--reviewer-file", paramLabel = "reviewer.jsonl", description = "FastChat's table/reviewer.jsonl to use instead of the bundled copy.")
    Path reviewerFile;

    /** The questions file as given, or the data layer's path for data:NAME. */
    public String questions() {
        return DataPaths.resolve(questions);
    }

    public List<Path> answers() {
        return answers;
    }

    public boolean swap() {
        return swap;
    }

    /** fastchat or lenient, as given (checked by the judge). */
    public String parse() {
        return parse;
    }

    /** The prompt file given, or null for the bundled one. */
    public Path promptFile() {
        return promptFile;
    }

    /** The reviewer file given, or null for the bundled one. */
    public Path reviewerFile() {
        return reviewerFile;
    }
}
