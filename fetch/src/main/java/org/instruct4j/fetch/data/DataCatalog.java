package org.instruct4j.fetch.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.instruct4j.fetch.ExpectedFile;

/**
 * The public files the project uses, read from {@code catalog.json} beside this class: for each, its origins, size,
 * hashes and licence. A name is a file's relative path; a folder name ({@code fastchat/eval_table/review}) stands for
 * every file under it; {@code all} for every file.
 */
public final class DataCatalog {
    public static final String ALL = "all";
    private static final String RESOURCE = "catalog.json";

    private final Map<String, DataFile> files;

    private DataCatalog(Map<String, DataFile> files) {
        this.files = files;
    }

    /** The catalog shipped with this module. */
    public static DataCatalog load() {
        try (InputStream in = DataCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + DataCatalog.class.getName());
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data catalog: " + e.getMessage(), e);
        }
    }

    static DataCatalog parse(JsonNode json) {
        Map<String, Licence> licences = new LinkedHashMap<>();
        json.path("licences").properties().forEach(e -> licences.put(e.getKey(), new Licence(e.getKey(),
                e.getValue().path("name").asText(), e.getValue().path("terms").asText(), e.getValue().path("url").asText())));
        Map<String, DataFile> files = new LinkedHashMap<>();
        for (JsonNode file : json.path("files")) {
            String name = file.path("name").asText();
            ExpectedFile expected = new ExpectedFile(file.path("size").asLong(ExpectedFile.UNKNOWN_SIZE),
                    file.path("sha256").asText(null), file.path("git_blob").asText(null));
            Licence licence = licences.get(file.path("licence").asText());
            List<Origin> origins = new ArrayList<>();
            file.path("origins").forEach(o -> origins.add(Origin.parse(o.asText())));
            if (!expected.pinned() || licence == null || origins.isEmpty() || files.containsKey(name)) {
                throw new IllegalStateException("data catalog entry " + name + " needs a hash, a known licence and an origin, once");
            }
            files.put(name, new DataFile(name, expected, licence, file.path("about").asText(""), origins));
        }
        return new DataCatalog(Map.copyOf(files));
    }

    /** Every file, by name. */
    public List<DataFile> files() {
        return files.values().stream().sorted(java.util.Comparator.comparing(DataFile::name)).toList();
    }

    /** True when {@code name} is one file (not a folder). */
    public boolean isFile(String name) {
        return files.containsKey(name);
    }

    /**
     * The files {@code name} stands for: one file, every file under a folder, or every file for {@code all}.
     *
     * @throws IllegalArgumentException for a name the catalog does not know
     */
    public List<DataFile> select(String name) {
        if (ALL.equals(name)) {
            return files();
        }
        DataFile file = files.get(name);
        if (file != null) {
            return List.of(file);
        }
        String folder = name.endsWith("/") ? name : name + "/";
        List<DataFile> under = files().stream().filter(f -> f.name().startsWith(folder)).toList();
        if (under.isEmpty()) {
            throw new IllegalArgumentException("unknown data name '" + name + "': `instruct4j data list` shows the names");
        }
        return under;
    }
}
