package org.instruct4j.model.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.BadInputException;

/**
 * llama2.c's tokenizer.bin: int32 max_token_length, then per token float32 score, int32 length and the
 * piece's UTF-8 bytes, little-endian. The format has no special-token table: llama2.c's export puts UNK,
 * BOS and EOS at 0, 1 and 2, as SentencePiece does.
 */
public final class Llama2cTokenizerFile {
    private Llama2cTokenizerFile() {}

    public static SentencePieceBpe read(Path file) {
        ByteBuffer in;
        try {
            in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + file, e);
        }
        if (in.remaining() < Integer.BYTES) {
            throw new BadInputException(file + ": empty, not a llama2.c tokenizer.bin");
        }
        int maxLength = in.getInt();
        List<String> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        while (in.hasRemaining()) {
            int id = pieces.size();
            if (in.remaining() < 8) {
                throw new BadInputException(file + ": truncated in token " + id);
            }
            float score = in.getFloat();
            int length = in.getInt();
            if (length < 0 || length > maxLength || length > in.remaining()) {
                throw new BadInputException(file + ": token " + id + " has length " + length
                        + " (max_token_length " + maxLength + ", " + in.remaining() + " bytes left)");
            }
            byte[] bytes = new byte[length];
            in.get(bytes);
            pieces.add(new String(bytes, StandardCharsets.UTF_8));
            scores.add(score);
        }
        int size = pieces.size();
        float[] scoreArray = new float[size];
        boolean[] special = new boolean[size];
        boolean[] matchable = new boolean[size];
        for (int i = 0; i < size; i++) {
            scoreArray[i] = scores.get(i);
            matchable[i] = true;
        }
        special[1] = true;
        special[2] = true;
        return new SentencePieceBpe(pieces.toArray(String[]::new), scoreArray, special, matchable, 0, 1, 2, -1);
    }
}
