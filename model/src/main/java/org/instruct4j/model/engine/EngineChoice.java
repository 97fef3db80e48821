package org.instruct4j.model.engine;

import java.util.Locale;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.tensor.Tensors;

/**
 * Which engine runs inference: the pure-Java CPU engine, libtorch, or {@link #AUTO}: the CPU engine on the CPU,
 * libtorch when a GPU build of libtorch finds a GPU (or when the JVM was started without the Vector API module).
 */
public enum EngineChoice {
    AUTO, JAVA, TORCH;

    private static final String GPU_NATIVES = "org/bytedeco/pytorch/linux-x86_64-gpu/libjnitorch.so";

    /** auto, java or torch (any case). */
    public static EngineChoice parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "java" -> JAVA;
            case "torch" -> TORCH;
            default -> throw new BadInputException("unknown engine '" + name + "': use java, torch or auto");
        };
    }

    /** JAVA or TORCH. Asking for JAVA without the Vector API module is an error naming the JVM option. */
    public EngineChoice resolve() {
        boolean vectors = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (this == JAVA && !vectors) {
            throw new IllegalStateException("the java engine needs the JVM option --add-modules=jdk.incubator.vector "
                    + "(./instruct4j sets it)");
        }
        if (this != AUTO) {
            return this;
        }
        if (!vectors) {
            return TORCH;
        }
        boolean gpuBuild = EngineChoice.class.getClassLoader().getResource(GPU_NATIVES) != null;
        return gpuBuild && !Tensors.defaultDevice().is_cpu() ? TORCH : JAVA;
    }
}
