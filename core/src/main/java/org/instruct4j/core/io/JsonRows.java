package org.instruct4j.core.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Streams the objects of a dataset file, whichever of the field's two layouts it uses: a JSON array
 * (Alpaca's released files) or JSON Lines. Memory stays bounded by one row, so files of hundreds of MB
 * are fine. Rejects, with file and line: an empty file, a UTF-8 byte-order mark, CRLF line endings,
 * invalid UTF-8, invalid JSON and rows that are not objects. Blank lines in JSONL are skipped.
 */
public final class JsonRows implements Iterator<JsonRow>, AutoCloseable {
    private static final int BOM_FIRST_BYTE = 0xEF;

    private final Path file;
    private final LineCountingStream bytes;
    private final RowSource source;
    private JsonRow next;
    private long ordinal;

    private JsonRows(Path file, LineCountingStream bytes, boolean array) throws IOException {
        this.file = file;
        this.bytes = bytes;
        this.source = array ? new ArraySource() : new LinesSource();
    }

    /** Opens a file; fails fast on a missing, empty or BOM-prefixed file. */
    public static JsonRows open(Path file) {
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new BadInputException(Location.file(file), null, "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            raw.mark(4);
            int first = raw.read();
            if (first == BOM_FIRST_BYTE && raw.read() == 0xBB && raw.read() == 0xBF) {
                throw new BadInputException(Location.jsonl(file, 1), null,
                        "the file starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM");
            }
            raw.reset();
            LineCountingStream counted = new LineCountingStream(raw, file);
            int firstSignificant = counted.peekNonWhitespace();
            if (firstSignificant < 0) {
                throw new BadInputException(Location.file(file), null, "the file is empty (no rows)");
            }
            return new JsonRows(file, counted, firstSignificant == '[');
        } catch (IOException e) {
            closeQuietly(raw);
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
    }

    /** Every object of the file, lazily; close the stream to release the file. */
    public static Stream<JsonRow> stream(Path file) {
        JsonRows rows = open(file);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(rows, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(rows::close);
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = source.read();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return next != null;
    }

    @Override
    public JsonRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        JsonRow row = next;
        next = null;
        return row;
    }

    @Override
    public void close() {
        closeQuietly(bytes);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // nothing to recover when closing a read-only file
        }
    }

    private JsonRow row(JsonNode node, Location location) {
        if (!node.isObject()) {
            throw new BadInputException(location, null, "expected a JSON object, got " + JsonRow.describe(node));
        }
        return new JsonRow((ObjectNode) node, location, ordinal++);
    }

    private interface RowSource {
        JsonRow read() throws IOException;
    }

    /** A JSON array of objects, parsed token by token. */
    private final class ArraySource implements RowSource {
        private static final ObjectReader ELEMENT_READER =
                Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

        private final JsonParser parser;
        private long index;
        private boolean done;

        ArraySource() throws IOException {
            parser = Json.MAPPER.getFactory().createParser(bytes);
            parser.nextToken();
        }

        @Override
        public JsonRow read() throws IOException {
            if (done) {
                return null;
            }
            try {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY) {
                    done = true;
                    if (parser.nextToken() != null) {
                        throw new BadInputException(Location.jsonl(file, parser.currentTokenLocation().getLineNr()), null,
                                "unexpected content after the closing ] of the array");
                    }
                    return null;
                }
                if (token == null) {
                    throw new BadInputException(Location.jsonl(file, bytes.line()), null, "the JSON array is not closed (truncated file?)");
                }
                long line = parser.currentTokenLocation().getLineNr();
                JsonNode node = ELEMENT_READER.readTree(parser);
                return row(node, Location.arrayItem(file, index++, line));
            } catch (JsonProcessingException e) {
                JsonLocation where = e.getLocation();
                long line = where == null ? bytes.line() : where.getLineNr();
                throw new BadInputException(Location.arrayItem(file, index, line), null, "invalid JSON: " + e.getOriginalMessage());
            }
        }
    }

    /** JSON Lines: one object per line. */
    private final class LinesSource implements RowSource {
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);

        @Override
        public JsonRow read() throws IOException {
            while (true) {
                byte[] line = bytes.readLine();
                if (line == null) {
                    return null;
                }
                long lineNumber = bytes.line();
                String text = decode(line, lineNumber);
                if (text.isBlank()) {
                    continue;
                }
                Location location = Location.jsonl(file, lineNumber);
                try {
                    return row(Json.MAPPER.readTree(text), location);
                } catch (JsonProcessingException e) {
                    throw new BadInputException(location, null,
                            "invalid JSON (JSON Lines needs one complete object per line): " + e.getOriginalMessage());
                }
            }
        }

        private String decode(byte[] line, long lineNumber) {
            try {
                CharBuffer chars = utf8.decode(ByteBuffer.wrap(line));
                return chars.toString();
            } catch (CharacterCodingException e) {
                throw new BadInputException(Location.jsonl(file, lineNumber), null, "not valid UTF-8");
            }
        }
    }

    /**
     * Counts lines as bytes pass, and rejects carriage returns: in valid JSON a raw CR can only be a
     * line ending, and CRLF files are refused with the line where the first one appears.
     */
    private static final class LineCountingStream extends InputStream {
        private static final int PEEK_LIMIT = 1 << 16;

        private final InputStream in;
        private final Path file;
        private long line = 1;
        private boolean previousLineEnded;

        LineCountingStream(InputStream in, Path file) {
            this.in = in;
            this.file = file;
        }

        long line() {
            return line;
        }

        /** The first byte that is not JSON whitespace (within the first 64 KiB), or -1 for an empty file. */
        int peekNonWhitespace() throws IOException {
            in.mark(PEEK_LIMIT);
            int b;
            int seen = 0;
            do {
                b = in.read();
                seen++;
            } while ((b == ' ' || b == '\n' || b == '\t' || b == '\r') && seen < PEEK_LIMIT);
            in.reset();
            return b;
        }

        /** The next line without its '\n', or null at the end of the file. */
        byte[] readLine() throws IOException {
            java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream(256);
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (previousLineEnded) {
                line++;
            }
            while (b >= 0 && b != '\n') {
                checkCarriageReturn(b);
                buffer.write(b);
                b = in.read();
            }
            previousLineEnded = b == '\n';
            return buffer.toByteArray();
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            countAndCheck(b);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            for (int i = offset; i < offset + Math.max(n, 0); i++) {
                countAndCheck(buffer[i]);
            }
            return n;
        }

        private void countAndCheck(int b) {
            if (b == '\n') {
                line++;
            }
            checkCarriageReturn(b);
        }

        private void checkCarriageReturn(int b) {
            if (b == '\r') {
                throw new BadInputException(Location.jsonl(file, line), null,
                        "CRLF (Windows) line ending; convert the file to LF line endings (for example with dos2unix)");
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
