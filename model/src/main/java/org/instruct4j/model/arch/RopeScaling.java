package org.instruct4j.model.arch;

import org.instruct4j.core.io.BadInputException;

/**
 * config.json's rope_scaling. "linear" divides positions by {@code factor}; "llama3" (Llama 3.1+) keeps
 * high frequencies, divides low ones by {@code factor} and blends the band between.
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositionEmbeddings) {

    /** Applies the scaling to RoPE inverse frequencies, as transformers' rope init functions do. */
    public double[] apply(double[] inverseFrequencies) {
        double[] scaled = new double[inverseFrequencies.length];
        for (int i = 0; i < scaled.length; i++) {
            double inv = inverseFrequencies[i];
            scaled[i] = switch (type) {
                case "linear" -> inv / factor;
                case "llama3" -> llama3(inv);
                default -> throw new BadInputException("unsupported rope_scaling type '" + type
                        + "': supported are linear and llama3");
            };
        }
        return scaled;
    }

    private double llama3(double inv) {
        double lowFreqWavelen = originalMaxPositionEmbeddings / lowFreqFactor;
        double highFreqWavelen = originalMaxPositionEmbeddings / highFreqFactor;
        double wavelen = 2 * Math.PI / inv;
        if (wavelen < highFreqWavelen) {
            return inv;
        }
        if (wavelen > lowFreqWavelen) {
            return inv / factor;
        }
        double smooth = (originalMaxPositionEmbeddings / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        return (1 - smooth) * inv / factor + smooth * inv;
    }
}
