package org.instruct4j.fetch;

import java.net.URI;
import java.util.Map;

/**
 * The servers public files come from: GitHub's raw file host and the Hugging Face hub, each replaceable by a mirror
 * ({@code INSTRUCT4J_GITHUB_RAW}, {@code HF_ENDPOINT}), and the hub token ({@code HF_TOKEN}), which is sent to the hub
 * only.
 */
public record Endpoints(URI githubRaw, URI huggingFace, String hfToken) {
    public static final URI GITHUB_RAW = URI.create("https://raw.githubusercontent.com");
    public static final URI HUGGING_FACE = URI.create("https://huggingface.co");

    public Endpoints {
        githubRaw = withoutTrailingSlash(githubRaw);
        huggingFace = withoutTrailingSlash(huggingFace);
        hfToken = hfToken == null || hfToken.isBlank() ? null : hfToken;
    }

    /** The public servers, or the mirrors and token the environment names. */
    public static Endpoints fromEnvironment() {
        return new Endpoints(env("INSTRUCT4J_GITHUB_RAW", GITHUB_RAW), env("HF_ENDPOINT", HUGGING_FACE), System.getenv("HF_TOKEN"));
    }

    /** The headers a request to the hub carries: the token, when there is one. */
    public Map<String, String> hubHeaders() {
        return hfToken == null ? Map.of() : Map.of("Authorization", "Bearer " + hfToken);
    }

    private static URI env(String name, URI fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : URI.create(value);
    }

    private static URI withoutTrailingSlash(URI uri) {
        return URI.create(uri.toString().replaceAll("/+$", ""));
    }
}
