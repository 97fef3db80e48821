package org.instruct4j.fetch.data;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.instruct4j.fetch.Downloader;
import org.instruct4j.fetch.Endpoints;

/**
 * A public place a data file is published: one file of a GitHub repository at a commit, or of a Hugging Face dataset or
 * model repository at a revision. Written {@code github:OWNER/REPO@COMMIT:PATH}, {@code hf-dataset:ORG/NAME@REVISION:PATH}
 * or {@code hf-model:ORG/NAME@REVISION:PATH}.
 */
public record Origin(Host host, String repository, String revision, String path) {
    /** Where the repository lives. */
    public enum Host {
        GITHUB("github"),
        HF_DATASET("hf-dataset"),
        HF_MODEL("hf-model");

        private final String prefix;

        Host(String prefix) {
            this.prefix = prefix;
        }
    }

    /** Parses the written form (see the class comment). */
    public static Origin parse(String written) {
        int colon = written.indexOf(':');
        int at = written.indexOf('@', colon + 1);
        int pathColon = at < 0 ? -1 : written.indexOf(':', at + 1);
        if (colon < 0 || at < 0 || pathColon < 0) {
            throw new IllegalArgumentException("not an origin (KIND:REPO@REVISION:PATH): " + written);
        }
        String prefix = written.substring(0, colon);
        Host host = Arrays.stream(Host.values()).filter(h -> h.prefix.equals(prefix)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown origin kind '" + prefix + "' in " + written));
        return new Origin(host, written.substring(colon + 1, at), written.substring(at + 1, pathColon), written.substring(pathColon + 1));
    }

    /** The URL of the file's bytes and the headers for it (the hub token goes to the hub only). */
    public Downloader.Source source(Endpoints endpoints) {
        String file = repository + (host == Host.GITHUB ? "/" : "/resolve/") + encode(revision) + "/" + encodePath(path);
        return switch (host) {
            case GITHUB -> new Downloader.Source(URI.create(endpoints.githubRaw() + "/" + file), Map.of());
            case HF_DATASET -> new Downloader.Source(URI.create(endpoints.huggingFace() + "/datasets/" + file), endpoints.hubHeaders());
            case HF_MODEL -> new Downloader.Source(URI.create(endpoints.huggingFace() + "/" + file), endpoints.hubHeaders());
        };
    }

    @Override
    public String toString() {
        return host.prefix + ":" + repository + "@" + revision + ":" + path;
    }

    private static String encodePath(String path) {
        return Arrays.stream(path.split("/")).map(Origin::encode).collect(Collectors.joining("/"));
    }

    private static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
