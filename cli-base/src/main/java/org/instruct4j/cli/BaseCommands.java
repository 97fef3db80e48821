package org.instruct4j.cli;

import java.util.Map;
import org.instruct4j.cli.analyze.AnalyzeCommand;
import org.instruct4j.cli.data.DataCommand;
import org.instruct4j.cli.data.ExportCommand;
import org.instruct4j.cli.data.FetchCommand;
import org.instruct4j.cli.data.ListCommand;
import org.instruct4j.cli.data.PathCommand;
import org.instruct4j.cli.eval.EvalCommand;
import org.instruct4j.cli.generate.GenerateCommand;
import org.instruct4j.cli.model.ModelCommand;
import org.instruct4j.cli.model.ModelFetchCommand;

/** The data and download commands, and the parents other groups put their commands under. */
public final class BaseCommands implements CommandGroup {
    @Override
    public Map<String, Object> commands() {
        return Map.of("generate", new GenerateCommand(), "data", new DataCommand(), "data fetch", new FetchCommand(),
                "data list", new ListCommand(), "data path", new PathCommand(), "data export", new ExportCommand(),
                "analyze", new AnalyzeCommand(), "model", new ModelCommand(), "model fetch", new ModelFetchCommand(),
                "eval", new EvalCommand());
    }
}
