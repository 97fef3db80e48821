package org.instruct4j.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"instruct4j " + (version == null ? "(development build)" : version),
            "Java " + Runtime.version()};
    }
}
