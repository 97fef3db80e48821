package org.instruct4j.spark.cli;

import java.util.concurrent.Callable;
import org.instruct4j.cli.generate.ApiTeacherOptions;
import org.instruct4j.cli.generate.SamplingOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** A Spark command that calls a teacher: the single-machine commands' API and sampling options, and Spark's own. */
abstract class SparkTeacherCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ApiTeacherOptions teacher;

    @Mixin
    SamplingOptions samplingOptions;

    @Mixin
    SparkOptions sparkOptions;
}
