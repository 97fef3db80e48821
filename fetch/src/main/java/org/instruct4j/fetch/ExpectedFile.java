package org.instruct4j.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a downloaded file must be: its size (when known) and its content hashes, a SHA-256 (as Git LFS pointers and
 * the Hugging Face hub publish it) and/or a git blob id (SHA-1 over {@code "blob " + size + "\0" + content}, as any git
 * tree names a file). Either hash fixes the content; both are checked when both are known.
 */
public record ExpectedFile(long size, String sha256, String gitBlob) {
    public static final long UNKNOWN_SIZE = -1;

    public ExpectedFile {
        sha256 = lowerHex(sha256, 64, "sha256");
        gitBlob = lowerHex(gitBlob, 40, "git blob id");
    }

    /** True when a hash pins the content (a size alone does not). */
    public boolean pinned() {
        return sha256 != null || gitBlob != null;
    }

    /** Why {@code file} is not this file (size or hash differ), or empty when it is. */
    public Optional<String> mismatch(Path file) throws IOException {
        long actualSize = Files.size(file);
        if (size != UNKNOWN_SIZE && actualSize != size) {
            return Optional.of("size " + actualSize + " bytes, expected " + size);
        }
        MessageDigest sha256Digest = digest("SHA-256");
        MessageDigest blobDigest = digest("SHA-1");
        blobDigest.update(("blob " + actualSize + "\0").getBytes(StandardCharsets.US_ASCII));
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256Digest.update(buffer, 0, n);
                blobDigest.update(buffer, 0, n);
            }
        }
        List<String> wrong = new ArrayList<>();
        String actualSha256 = HexFormat.of().formatHex(sha256Digest.digest());
        String actualBlob = HexFormat.of().formatHex(blobDigest.digest());
        if (sha256 != null && !sha256.equals(actualSha256)) {
            wrong.add("sha256 " + actualSha256 + ", expected " + sha256);
        }
        if (gitBlob != null && !gitBlob.equals(actualBlob)) {
            wrong.add("git blob " + actualBlob + ", expected " + gitBlob);
        }
        return wrong.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", wrong));
    }

    /** True when {@code file} exists and is this file. */
    public boolean matches(Path file) throws IOException {
        return Files.isRegularFile(file) && mismatch(file).isEmpty();
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String lowerHex(String hash, int length, String what) {
        if (hash == null || hash.isEmpty()) {
            return null;
        }
        String lower = hash.toLowerCase(Locale.ROOT);
        if (lower.length() != length || !lower.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("not a " + what + ": " + hash);
        }
        return lower;
    }
}
