package org.instruct4j.cli.analyze;

import java.util.Map;
import org.instruct4j.cli.CommandGroup;

/** The analyses that parse with Stanford CoreNLP (GPL-3.0): verb-noun structure and the report that includes it. */
public final class VerbsCommands implements CommandGroup {
    @Override
    public Map<String, Object> commands() {
        return Map.of("analyze verbs", new VerbsCommand(), "analyze report", new ReportCommand());
    }
}
