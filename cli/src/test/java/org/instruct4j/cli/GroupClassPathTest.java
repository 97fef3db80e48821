package org.instruct4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.testkit.FakeOpenAiServer;
import org.instruct4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Each command group on its own class path, as ./instruct4j runs it: its commands start, it holds none of the large
 * libraries other groups bring, and a command of another group says how to get it.
 */
class GroupClassPathTest {
    private static final String LIBTORCH = "/org/bytedeco/pytorch/";
    private static final String CORENLP = "/edu/stanford/nlp/";
    private static final String SPARK = "/org/apache/spark/";
    private static final String OPENAI = "/com/openai/";
    private static final String JETTY = "/org/eclipse/jetty/";
    private static final String SQLITE = "/org/xerial/sqlite-jdbc/";
    private static final String POSTGRESQL = "/org/postgresql/";
    private static final String ECHARTS_WEBJAR = "/org/webjars/echarts/";

    @TempDir
    Path dir;

    @Test
    void theTableListsEveryCommandOnceAndEveryGroupBringsItsOwn() {
        CommandLine all = Instruct4jCommand.commandLine();
        List<String> listed = CommandTable.load().entries().stream().map(CommandTable.Entry::path).toList();
        List<String> real = new ArrayList<>();
        collect(all, "", listed, real);

        assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(real);
    }

    @Test
    void everyGroupRunsItsFirstCommandOnItsOwnClassPath() {
        Map<String, String> first = new LinkedHashMap<>();
        CommandTable.load().entries().forEach(e -> first.putIfAbsent(e.module(), e.path()));
        assertThat(first).containsOnlyKeys("cli-base", "cli-generate", "cli-eval", "cli-human", "cli-analyze", "cli-verbs",
                "cli-model", "cli-spark");

        first.forEach((module, path) -> {
            List<String> args = new ArrayList<>(List.of(path.split(" ")));
            args.add("--help");
            GroupRun run = GroupRun.of(module, Map.of(), args.toArray(String[]::new));
            assertThat(run.exitCode()).as(module + ": " + run.err()).isZero();
            assertThat(run.out()).as(module).startsWith("Usage: instruct4j " + path);
        });
    }

    @Test
    void noGroupCarriesAnotherGroupsLargeLibraries() {
        assertThat(jars("cli-base")).noneMatch(j -> j.contains(LIBTORCH) || j.contains(CORENLP) || j.contains(SPARK) || j.contains(OPENAI));
        for (String module : List.of("cli-generate", "cli-eval", "cli-human", "cli-analyze")) {
            assertThat(jars(module)).as(module).noneMatch(j -> j.contains(LIBTORCH) || j.contains(CORENLP) || j.contains(SPARK));
        }
        // eval rouge, judge and report: no web server, no database drivers, no 9.4 MB ECharts webjar (report keeps
        // its 1 MB echarts.min.js); eval human: the app's server and drivers, no OpenAI client
        assertThat(jars("cli-eval")).anyMatch(j -> j.contains(OPENAI))
                .noneMatch(j -> j.contains(JETTY) || j.contains(SQLITE) || j.contains(POSTGRESQL) || j.contains(ECHARTS_WEBJAR));
        assertThat(jars("cli-human")).anyMatch(j -> j.contains(JETTY)).anyMatch(j -> j.contains(SQLITE))
                .anyMatch(j -> j.contains(POSTGRESQL)).noneMatch(j -> j.contains(OPENAI) || j.contains(ECHARTS_WEBJAR));
        assertThat(jars("cli-generate")).anyMatch(j -> j.contains(OPENAI));
        assertThat(jars("cli-verbs")).anyMatch(j -> j.contains(CORENLP)).noneMatch(j -> j.contains(LIBTORCH) || j.contains(SPARK));
        assertThat(jars("cli-model")).anyMatch(j -> j.contains(LIBTORCH)).noneMatch(j -> j.contains(CORENLP) || j.contains(SPARK));
        assertThat(jars("cli-spark")).anyMatch(j -> j.contains(SPARK)).noneMatch(j -> j.contains(LIBTORCH));
    }

    @Test
    void generateAnswersRunsWithTheOpenAiClientAlone() {
        Path output = dir.resolve("answers.jsonl");
        try (FakeOpenAiServer server = new FakeOpenAiServer().start()) {
            GroupRun run = GroupRun.of("cli-generate", Map.of("TEST_KEY", "sk-test"), "generate", "answers",
                    "--input", SharedData.path("alpaca/alpaca_5000_subset_pr152.json").toString(), "--output", output.toString(),
                    "--limit", "5", "--base-url", server.baseUrl(), "--api-key-env", "TEST_KEY", "--quiet");

            assertThat(run.exitCode()).as(run.err()).isZero();
        }
        assertThat(Datasets.readAll(output, row -> row)).hasSize(5);
    }

    @Test
    void aLocalModelOrAnotherGroupsCommandSaysHowToRunIt() {
        GroupRun local = GroupRun.of("cli-generate", Map.of(), "generate", "answers", "--input",
                SharedData.path("alpaca/alpaca_5000_subset_pr152.json").toString(), "--output", dir.resolve("o.jsonl").toString(),
                "--local-model", SharedData.path("models/stories260K/stories260K.bin").toString(),
                "--local-tokenizer", SharedData.path("models/stories260K/tok512.bin").toString());
        GroupRun train = GroupRun.of("cli-base", Map.of(), "train", "sft", "--base", "x");
        GroupRun help = GroupRun.of("cli-base", Map.of(), "--help");

        assertThat(local.exitCode()).isEqualTo(1);
        assertThat(local.err()).contains("--local-model runs the model with the model engines, which come with the cli-model group")
                .contains("./instruct4j");
        assertThat(dir.resolve("o.jsonl")).doesNotExist();
        assertThat(train.exitCode()).isEqualTo(1);
        assertThat(train.err()).contains("instruct4j train comes with the cli-model group (the pure-Java CPU engine and libtorch)").contains("./instruct4j");
        assertThat(help.out()).contains("spark", "[comes with the cli-spark group (Apache Spark)");
    }

    /** The libraries (not the project's own classes) on a group's class path. */
    private static List<String> jars(String module) {
        return GroupRun.classPath(module).stream().filter(e -> e.endsWith(".jar")).toList();
    }

    /** The command paths of {@code command}'s subcommands, down to the commands the table lists; stand-ins marked. */
    private static void collect(CommandLine command, String prefix, List<String> listed, List<String> into) {
        command.getSubcommands().forEach((name, sub) -> {
            String path = prefix.isEmpty() ? name : prefix + " " + name;
            if (name.equals("help")) {
                return;
            }
            String[] description = sub.getCommandSpec().usageMessage().description();
            into.add(description.length > 0 && description[0].startsWith("[comes with") ? "placeholder for " + path : path);
            if (listed.stream().anyMatch(p -> p.startsWith(path + " "))) {
                collect(sub, path, listed, into);
            }
        });
    }
}
