package org.instruct4j.cli.generate;

import java.util.Map;
import org.instruct4j.cli.CommandGroup;

/** The generate commands: a teacher behind an OpenAI-compatible API (a local model comes with cli-model). */
public final class GenerateCommands implements CommandGroup {
    @Override
    public Map<String, Object> commands() {
        return Map.of("generate answers", new AnswersCommand(), "generate translate", new TranslateCommand(),
                "generate ratings", new RatingsCommand(), "generate unnatural", new UnnaturalCommand(),
                "generate instructions", new InstructionsCommand());
    }
}
