package org.instruct4j.cli.eval;

import java.util.Map;
import org.instruct4j.cli.CommandGroup;

/**
 * eval human: the human-evaluation web app, its SQLite and PostgreSQL store and results, a group of its own so that
 * eval rouge, judge and report (cli-eval) carry neither Jetty nor the database drivers.
 */
public final class HumanCommands implements CommandGroup {
    @Override
    public Map<String, Object> commands() {
        return Map.of("eval human", new HumanCommand());
    }
}
