package org.instruct4j.cli.data;

import picocli.CommandLine.Command;

@Command(name = "data", mixinStandardHelpOptions = true, description = "The public data: fetch it from its origins, list it, find it; export datasets.")
public final class DataCommand {}
