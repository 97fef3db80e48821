package org.instruct4j.teacher.selfinstruct;

/** One task the teacher wrote: instruction, input ("" for none) and output. */
public record GeneratedTask(String instruction, String input, String output) {}
