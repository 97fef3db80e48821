package org.instruct4j.model.tensor;

import org.instruct4j.core.io.BadInputException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;

/**
 * The device models load onto in this process ({@link Tensors#defaultDevice()}), as a command's {@code --device} chose
 * it: {@code auto} (the first GPU when libtorch has CUDA and sees one, else the CPU), {@code cpu}, {@code cuda} or
 * {@code cuda:N}. Asking for CUDA where there is none is an error that says why, never a silent fallback to the CPU.
 */
public final class Devices {
    /** JavaCPP picks the GPU build of the natives with this extension (README, "GPU"). */
    static final String GPU_EXTENSION = "-gpu";
    private static final Pattern SPEC = Pattern.compile("auto|cpu|cuda(?::(\\d+))?");
    private static volatile Device chosen;

    private Devices() {}

    /**
     * Makes {@code spec} the device models load onto from now on and returns it.
     *
     * @throws BadInputException for a malformed spec, or CUDA asked for and absent
     */
    public static Device use(String spec) {
        Device device = parse(spec, torch.cuda_is_available() ? torch.cuda_device_count() : 0, gpuBuild());
        chosen = device;
        return device;
    }

    /** The device {@code --device} chose, or auto's choice when no command chose one. */
    static Device current() {
        Device device = chosen;
        return device != null ? device : torch.cuda_is_available() ? new Device("cuda") : new Device("cpu");
    }

    /** {@code spec} on a machine with {@code gpus} visible CUDA devices and, or not, the GPU build of libtorch. */
    static Device parse(String spec, long gpus, boolean gpuBuild) {
        Matcher m = SPEC.matcher(spec.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new BadInputException("--device " + spec + ": use auto, cpu, cuda or cuda:N");
        }
        if (spec.equalsIgnoreCase("auto")) {
            return new Device(gpus > 0 ? "cuda" : "cpu");
        }
        if (spec.equalsIgnoreCase("cpu")) {
            return new Device("cpu");
        }
        if (!gpuBuild) {
            throw new BadInputException("--device " + spec + ": this libtorch is the CPU build (natives for "
                    + "linux-x86_64, no CUDA). Run with INSTRUCT4J_GPU=1 ./instruct4j ... to use the GPU build "
                    + "(README, \"GPU\"), or choose --device cpu");
        }
        int index = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        if (index >= gpus) {
            throw new BadInputException("--device " + spec + ": " + (gpus == 0 ? "no CUDA device is visible"
                    : "only " + gpus + " CUDA device" + (gpus == 1 ? " is" : "s are") + " visible (cuda:0..cuda:" + (gpus - 1) + ")")
                    + " to this GPU build of libtorch (check nvidia-smi, the driver and CUDA_VISIBLE_DEVICES), or choose --device cpu");
        }
        return new Device("cuda:" + index);
    }

    private static boolean gpuBuild() {
        return System.getProperty("org.bytedeco.javacpp.platform.extension", "").equals(GPU_EXTENSION);
    }
}
