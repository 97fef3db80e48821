package org.instruct4j.cli.data;

import picocli.CommandLine.Command;

@Command(name = "data", mixinStandardHelpOptions = true, description = "Dataset utilities.", subcommands = {ExportCommand.class})
public final class DataCommand {}
