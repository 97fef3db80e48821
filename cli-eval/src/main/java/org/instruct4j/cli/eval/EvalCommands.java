package org.instruct4j.cli.eval;

import java.util.Map;
import org.instruct4j.cli.CommandGroup;

/** ROUGE, the LLM judge and its report (eval answer comes with cli-model, eval human with cli-human). */
public final class EvalCommands implements CommandGroup {
    @Override
    public Map<String, Object> commands() {
        return Map.of("eval rouge", new RougeCommand(), "eval judge", new JudgeCommand(),
                "eval report", new ReportCommand());
    }
}
