package org.instruct4j.cli.model;

import java.nio.file.Path;
import org.instruct4j.cli.Writes;
import org.instruct4j.core.io.FileRoles;
import org.instruct4j.fetch.HubClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code instruct4j model fetch}: download a model directory from the Hugging Face hub. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Download a model repository from the Hugging Face hub, resumably, checking every file's hash.",
                "Honours HF_ENDPOINT (another hub or mirror) and HF_TOKEN (gated or private repositories)."})
public final class ModelFetchCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "REPO_ID", description = "Repository, e.g. TinyLlama/TinyLlama-1.1B-Chat-v1.0.")
    String repo;

    @Writes(FileRoles.Kind.DIRECTORY)
    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Directory to download into.")
    Path output;

    @Option(names = "--revision", defaultValue = "main", description = "Branch, tag or commit (default: ${DEFAULT-VALUE}).")
    String revision;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        var out = spec.commandLine().getOut();
        HubClient.fromEnvironment().download(repo, revision, output, name -> {
            out.println("fetching " + name);
            out.flush();
        });
        out.println("done: " + output);
    }
}
