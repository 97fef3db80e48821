package org.instruct4j.cli.eval;

import java.util.concurrent.Callable;
import org.instruct4j.eval.human.AnnotationStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "admin", mixinStandardHelpOptions = true, description = "Manages annotators.",
        subcommands = HumanAdminCommand.AddAnnotator.class)
final class HumanAdminCommand {

    @Command(name = "add-annotator", mixinStandardHelpOptions = true,
            description = {"Adds an annotator and prints their sign-in token on stdout, once.",
                "Only its hash is stored, so a lost token cannot be shown again (add the annotator under another name)."})
    static final class AddAnnotator implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "The annotator's name (unique).")
        String name;

        @Mixin
        AnnotationDbOption db;

        @Override
        public Integer call() {
            String token;
            try (AnnotationStore store = db.open()) {
                token = store.addAnnotator(name);
            }
            spec.commandLine().getErr().printf("token of annotator \"%s\" (shown only now; give it to them privately):%n", name);
            spec.commandLine().getErr().flush();
            spec.commandLine().getOut().println(token);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
