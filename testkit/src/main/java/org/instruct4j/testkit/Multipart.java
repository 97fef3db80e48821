package org.instruct4j.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A binary-safe parser of {@code multipart/form-data} bodies (RFC 7578). */
final class Multipart {
    private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))");
    private static final Pattern NAME = Pattern.compile("[; ]name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** One form field; {@code filename} is null for a plain field. */
    record Part(String name, String filename, byte[] content) {
        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private Multipart() {}

    /** The parts of the body, by field name. */
    static Map<String, Part> parse(String contentType, byte[] body) {
        Matcher boundary = contentType == null ? null : BOUNDARY.matcher(contentType);
        if (boundary == null || !contentType.toLowerCase().startsWith("multipart/form-data") || !boundary.find()) {
            throw ApiError.invalidRequest("Expected a multipart/form-data body with a boundary.", null);
        }
        String token = boundary.group(1) != null ? boundary.group(1) : boundary.group(2);
        byte[] delimiter = ("--" + token).getBytes(StandardCharsets.US_ASCII);
        byte[] separator = ("\r\n--" + token).getBytes(StandardCharsets.US_ASCII);
        int start = indexOf(body, delimiter, 0);
        if (start < 0) {
            throw malformed("no opening boundary");
        }
        Map<String, Part> parts = new LinkedHashMap<>();
        int position = start + delimiter.length;
        while (!startsWith(body, position, "--")) {
            int headersStart = position + 2; // the CRLF after the boundary
            int headersEnd = indexOf(body, HEADER_END, headersStart);
            if (headersEnd < 0) {
                throw malformed("a part without a header block");
            }
            int contentStart = headersEnd + HEADER_END.length;
            int contentEnd = indexOf(body, separator, contentStart);
            if (contentEnd < 0) {
                throw malformed("no closing boundary");
            }
            Part part = part(new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8),
                    Arrays.copyOfRange(body, contentStart, contentEnd));
            parts.put(part.name(), part);
            position = contentEnd + separator.length;
        }
        return parts;
    }

    private static Part part(String headers, byte[] content) {
        for (String header : headers.split("\r\n")) {
            if (header.toLowerCase().startsWith("content-disposition:")) {
                Matcher name = NAME.matcher(header);
                if (!name.find()) {
                    throw malformed("a part without a name");
                }
                Matcher filename = FILENAME.matcher(header);
                return new Part(name.group(1), filename.find() ? filename.group(1) : null, content);
            }
        }
        throw malformed("a part without Content-Disposition");
    }

    private static ApiError malformed(String what) {
        return ApiError.invalidRequest("Malformed multipart body: " + what + ".", null);
    }

    private static boolean startsWith(byte[] body, int position, String prefix) {
        byte[] bytes = prefix.getBytes(StandardCharsets.US_ASCII);
        return position + bytes.length <= body.length && matchesAt(body, bytes, position);
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        for (int i = from; i <= data.length - pattern.length; i++) {
            if (matchesAt(data, pattern, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matchesAt(byte[] data, byte[] pattern, int position) {
        return Arrays.equals(data, position, position + pattern.length, pattern, 0, pattern.length);
    }
}
