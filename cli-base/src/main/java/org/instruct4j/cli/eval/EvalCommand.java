package org.instruct4j.cli.eval;

import picocli.CommandLine.Command;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluation as GPT-4-LLM did it: ROUGE, LLM-as-judge with reports, human evaluation.",
            "ROUGE by reference length, answers of the model under test, GPT-4-style judging of answer pairs",
            "(FastChat's Vicuna protocol) with reports, and a human-evaluation web app."})
public final class EvalCommand {}
