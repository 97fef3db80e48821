package org.instruct4j.eval.human;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The annotation app in a real browser (Debian's chromium driven by Playwright; CI must install chromium, otherwise
 * this test is skipped with a message saying so): sign in, judge every item with the keyboard, see progress, reload
 * mid-way, then export. A hostile answer shows as text and runs nothing.
 */
class BrowserEndToEndTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final List<String> CHROMIUM_FLAGS = List.of("--no-sandbox", "--headless", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");

    private static Playwright playwright;
    private static Browser browser;

    @TempDir
    Path dir;

    private ServedApp app;

    @BeforeAll
    static void launchBrowser() {
        assumeThat(Files.isExecutable(CHROMIUM)).as("chromium at " + CHROMIUM + " (apt-get install chromium)").isTrue();
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
                .setArgs(CHROMIUM_FLAGS));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void start() {
        app = new ServedApp(dir);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void signInJudgeWithTheKeyboardSeeProgressAndExport() {
        Map<String, Pair> pairs = new HashMap<>();
        TestPairs.three().forEach(p -> pairs.put(p.question(), p));
        List<String> keysPerItem = List.of("atb", "bbt", "tta");
        Map<String, String> keysByPair = new HashMap<>();
        Map<String, String> leftByPair = new HashMap<>();
        try (Page page = browser.newPage()) {
            page.navigate(app.url("/"));
            PlaywrightAssertions.assertThat(page.locator("#sign-in")).isVisible();
            page.fill("#token", "wrong-token");
            page.press("#token", "Enter");
            PlaywrightAssertions.assertThat(page.locator("#sign-in-error")).hasText("unknown token");

            page.fill("#token", app.token);
            page.press("#token", "Enter");
            PlaywrightAssertions.assertThat(page.locator("#judge")).isVisible();
            PlaywrightAssertions.assertThat(page.locator("#progress")).hasText("Judged 0 of 3");
            PlaywrightAssertions.assertThat(page.locator("#who")).hasText("ann");
            assertThat(page.textContent("#judge")).contains("Whether it helps humans achieve their goals");

            for (int i = 0; i < 3; i++) {
                Pair pair = pairs.get(page.textContent("#question"));
                assertThat(pair).as("the question is shown verbatim").isNotNull();
                String left = page.textContent("#left");
                String right = page.textContent("#right");
                assertThat(List.of(left, right)).containsExactlyInAnyOrder(pair.answerA(), pair.answerB());
                leftByPair.put(pair.pairId(), left.equals(pair.answerA()) ? "A" : "B");
                keysByPair.put(pair.pairId(), keysPerItem.get(i));
                if (i == 1) {
                    page.reload();
                    PlaywrightAssertions.assertThat(page.locator("#question")).hasText(pair.question());
                    assertThat(page.textContent("#left")).as("a reload shows the same side").isEqualTo(left);
                }
                PlaywrightAssertions.assertThat(page.locator("#submit")).isDisabled();
                for (char key : keysPerItem.get(i).toCharArray()) {
                    page.keyboard().press(String.valueOf(key));
                }
                PlaywrightAssertions.assertThat(page.locator("#submit")).isEnabled();
                page.keyboard().press("Enter");
                PlaywrightAssertions.assertThat(page.locator("#progress")).hasText("Judged " + (i + 1) + " of 3");
            }
            PlaywrightAssertions.assertThat(page.locator("#done")).isVisible();
            assertThat(page.evaluate("() => window.__xss === undefined")).isEqualTo(true);
        }

        List<ObjectNode> exported = new ArrayList<>();
        app.store.export(exported::add);
        assertThat(exported).hasSize(3);
        for (ObjectNode row : exported) {
            String pairId = row.get("pair_id").asText();
            String left = row.get("left").asText();
            assertThat(left).as("the export records the side the browser showed").isEqualTo(leftByPair.get(pairId));
            String right = left.equals("A") ? "B" : "A";
            String keys = keysByPair.get(pairId);
            assertThat(List.of(row.get("helpfulness").asText(), row.get("honesty").asText(), row.get("harmlessness").asText()))
                    .containsExactly(expected(keys.charAt(0), left, right), expected(keys.charAt(1), left, right),
                            expected(keys.charAt(2), left, right));
        }
    }

    /** The hostile answer is on screen as its literal text, and no element or script came from it. */
    @Test
    void modelOutputIsShownAsTextNeverAsHtml() {
        try (Page page = browser.newPage()) {
            List<String> errors = new ArrayList<>();
            page.onPageError(errors::add);
            page.navigate(app.url("/"));
            page.fill("#token", app.token);
            page.press("#token", "Enter");
            PlaywrightAssertions.assertThat(page.locator("#judge")).isVisible();
            for (int judged = 0; !page.textContent("#question").contains("HTML"); judged++) {
                assertThat(judged).as("the item with the hostile answer comes within three").isLessThan(3);
                page.keyboard().type("ttt");
                page.keyboard().press("Enter");
                PlaywrightAssertions.assertThat(page.locator("#progress")).hasText("Judged " + (judged + 1) + " of 3");
            }
            assertThat(page.textContent("#question")).isEqualTo("Write <b>HTML</b> that greets the user.");
            assertThat(page.textContent("#left") + page.textContent("#right")).contains(TestPairs.HOSTILE);
            assertThat(page.locator("#left script, #right script, #left img, #right img, #left b, #right b, #question b").count()).isZero();
            assertThat(page.evaluate("() => window.__xss === undefined")).isEqualTo(true);
            assertThat(errors).isEmpty();
        }
    }

    private static String expected(char key, String left, String right) {
        return switch (key) {
            case 'a' -> left;
            case 'b' -> right;
            default -> "tie";
        };
    }
}
