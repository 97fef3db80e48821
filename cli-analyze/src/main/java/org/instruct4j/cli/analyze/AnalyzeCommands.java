package org.instruct4j.cli.analyze;

import java.util.Map;
import org.instruct4j.cli.CommandGroup;

/** The analyses that need no parser: output lengths and the teacher's scores. */
public final class AnalyzeCommands implements CommandGroup {
    @Override
    public Map<String, Object> commands() {
        return Map.of("analyze lengths", new LengthsCommand(), "analyze scores", new ScoresCommand());
    }
}
