package org.instruct4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The echarts.min.js kept in this module is Apache ECharts' own file: byte for byte the one in the org.webjars:echarts
 * release report/pom.xml names (a test library only; the commands never download the 9.4 MB webjar), and it is what
 * every HTML report inlines.
 */
class EChartsScriptTest {
    @TempDir
    Path dir;

    @Test
    void theKeptScriptIsTheReleasedOneAndEveryPageInlinesIt() throws IOException {
        Properties webjar = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/maven/org.webjars/echarts/pom.properties")) {
            assertThat(in).as("the org.webjars:echarts test library").isNotNull();
            webjar.load(in);
        }
        byte[] released;
        try (InputStream in = getClass().getResourceAsStream(
                "/META-INF/resources/webjars/echarts/" + webjar.getProperty("version") + "/echarts.min.js")) {
            assertThat(in).isNotNull();
            released = in.readAllBytes();
        }
        byte[] kept;
        try (InputStream in = HtmlReport.class.getResourceAsStream("echarts.min.js")) {
            assertThat(in).as("org/instruct4j/report/echarts.min.js").isNotNull();
            kept = in.readAllBytes();
        }
        assertThat(kept).as("echarts.min.js against webjar " + webjar.getProperty("version")).isEqualTo(released);
        assertThat(new String(kept, StandardCharsets.UTF_8)).contains("Licensed to the Apache Software Foundation (ASF)");

        Path page = dir.resolve("page.html");
        new HtmlReport("t").paragraph("p").write(page);
        String html = Files.readString(page);
        // the page holds the script once, with "</script" escaped inside it
        String inlined = new String(released, StandardCharsets.UTF_8).replace("</script", "<\\/script");
        assertThat(html).contains(inlined);
        assertThat(html.indexOf(inlined)).isEqualTo(html.lastIndexOf(inlined));
    }
}
