package org.instruct4j.teacher.run;

import org.instruct4j.teacher.client.ChatCall;

/** One request of a job: the id its output row will carry, the call to make, and what it was made from. */
public record WorkItem<S>(String id, ChatCall call, S source) {}
