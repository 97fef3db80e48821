package org.instruct4j.fetch.data;

/** The terms a data file comes under: a short name, what they allow in a few words, and where the full text is. */
public record Licence(String id, String name, String terms, String url) {
    /** One line for a terminal: name, terms, address. */
    public String describe() {
        return name + " (" + terms + "; " + url + ")";
    }
}
