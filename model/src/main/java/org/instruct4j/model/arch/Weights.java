package org.instruct4j.model.arch;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.instruct4j.core.io.BadInputException;

/** Named parameters of a checkpoint, looked up with an error that says which tensor is missing. */
record Weights(Map<String, Tensor> byName, String source) {

    Tensor require(String name) {
        Tensor tensor = byName.get(name);
        if (tensor == null) {
            throw new BadInputException(source + ": checkpoint has no tensor '" + name + "'");
        }
        return tensor;
    }

    /** A tensor some variants of the architecture have (biases), or null. */
    Tensor optional(String name) {
        return byName.get(name);
    }
}
