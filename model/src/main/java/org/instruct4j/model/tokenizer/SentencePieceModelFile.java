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
 * Reads a SentencePiece tokenizer.model (a ModelProto protobuf) of model type BPE, as Llama 1/2 and Mistral
 * ship, into {@link SentencePieceBpe}. Only the fields the encoder needs are decoded: the pieces with score
 * and type, the special ids and model type of the trainer spec.
 */
public final class SentencePieceModelFile {
    private static final int TYPE_NORMAL = 1, TYPE_CONTROL = 3, TYPE_USER_DEFINED = 4;
    private static final int MODEL_TYPE_BPE = 2;

    private SentencePieceModelFile() {}

    public static SentencePieceBpe read(Path file) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + file, e);
        }
        List<String> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        int[] ids = {0, 1, 2, -1}; // unk, bos, eos, pad: SentencePiece's defaults
        int modelType = 1;
        Protobuf model = new Protobuf(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN), file);
        while (model.hasMore()) {
            int key = model.key();
            if (key >>> 3 == 1 && (key & 7) == 2) {
                Protobuf piece = model.message();
                String text = "";
                float score = 0;
                int type = TYPE_NORMAL;
                while (piece.hasMore()) {
                    int field = piece.key();
                    switch (field >>> 3) {
                        case 1 -> text = new String(piece.bytes(), StandardCharsets.UTF_8);
                        case 2 -> score = piece.float32();
                        case 3 -> type = (int) piece.varint();
                        default -> piece.skip(field & 7);
                    }
                }
                pieces.add(text.replace('\u2581', ' '));
                scores.add(score);
                types.add(type);
            } else if (key >>> 3 == 2 && (key & 7) == 2) {
                Protobuf trainer = model.message();
                while (trainer.hasMore()) {
                    int field = trainer.key();
                    switch (field >>> 3) {
                        case 3 -> modelType = (int) trainer.varint();
                        case 40, 41, 42, 43 -> ids[(field >>> 3) - 40] = (int) trainer.varint();
                        default -> trainer.skip(field & 7);
                    }
                }
            } else {
                model.skip(key & 7);
            }
        }
        if (modelType != MODEL_TYPE_BPE) {
            throw new UnsupportedOperationException(file + ": SentencePiece model_type " + modelType
                    + " is not BPE (2); only BPE models (Llama 1/2, Mistral) are supported, use tokenizer.json instead");
        }
        int size = pieces.size();
        float[] scoreArray = new float[size];
        boolean[] special = new boolean[size];
        boolean[] matchable = new boolean[size];
        for (int i = 0; i < size; i++) {
            scoreArray[i] = scores.get(i);
            int type = types.get(i);
            special[i] = type == TYPE_CONTROL;
            matchable[i] = type == TYPE_NORMAL || type == TYPE_USER_DEFINED;
        }
        return new SentencePieceBpe(pieces.toArray(String[]::new), scoreArray, special, matchable,
                ids[0], ids[1], ids[2], ids[3]);
    }

    /** Just enough of the protobuf wire format: varints, fixed32 floats, length-delimited fields. */
    private static final class Protobuf {
        private final ByteBuffer in;
        private final Path file;

        Protobuf(ByteBuffer in, Path file) {
            this.in = in;
            this.file = file;
        }

        boolean hasMore() {
            return in.hasRemaining();
        }

        int key() {
            return (int) varint();
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (!in.hasRemaining()) {
                    throw new BadInputException(file + ": truncated varint at byte " + in.position());
                }
                byte b = in.get();
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new BadInputException(file + ": malformed varint at byte " + in.position());
        }

        float float32() {
            return in.getFloat();
        }

        byte[] bytes() {
            int length = (int) varint();
            if (length < 0 || length > in.remaining()) {
                throw new BadInputException(file + ": field length " + length + " past the end at byte " + in.position());
            }
            byte[] out = new byte[length];
            in.get(out);
            return out;
        }

        Protobuf message() {
            return new Protobuf(ByteBuffer.wrap(bytes()).order(ByteOrder.LITTLE_ENDIAN), file);
        }

        void skip(int wireType) {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> in.position(in.position() + 8);
                case 2 -> bytes();
                case 5 -> in.position(in.position() + 4);
                default -> throw new BadInputException(file + ": unsupported protobuf wire type " + wireType
                        + " at byte " + in.position());
            }
        }
    }
}
