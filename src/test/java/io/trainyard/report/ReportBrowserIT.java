package io.trainyard.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.generate.GenerateJob;
import io.trainyard.generate.Generators;
import io.trainyard.generate.SeasonalGenerator;
import io.trainyard.job.SweepJob;
import io.trainyard.job.TrainJob;
import io.trainyard.run.RunFiles;
import io.trainyard.spec.SpecLoader;
import io.trainyard.testing.SparkTestSession;
import io.trainyard.testing.TestSpecs;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Every kind of run's {@code report.html}, opened in a real headless browser (Debian's chromium through its
 * chromedriver; {@code .ci/run} installs both): the page loads with nothing in the console, every chart the run's kind
 * has is there, drawn and of non-zero size, and a screenshot (under {@code target/report-screenshots/}) is not blank.
 * The runs are short: the pictures are under test here, not the models.
 */
class ReportBrowserIT {
    private static final Path SCREENSHOTS = Path.of("target", "report-screenshots");
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @TempDir
    static Path dir;

    static SparkSession spark;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        for (String program : List.of(CHROMIUM, CHROMEDRIVER)) {
            assertTrue(
                    Files.isExecutable(Path.of(program)),
                    program + " is missing: install Debian's chromium and chromium-driver (./run-tests does)");
        }
        spark = SparkTestSession.get();
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1400, 2200));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theChecksCatchConsoleErrorsAndBlankPages() throws Exception {
        Path broken = Files.writeString(
                dir.resolve("broken.html"),
                "<!DOCTYPE html><html><body><img src=\"missing.png\"><script>console.error('planted')</script>"
                        + "</body></html>");
        browser.get(broken.toUri().toString());
        assertFalse(severe().isEmpty(), "a planted console error and a missing image were not seen");
        Path blank = Files.writeString(dir.resolve("blank.html"), "<!DOCTYPE html><html><body></body></html>");
        browser.get(blank.toUri().toString());
        assertTrue(colours(browser.getScreenshotAs(OutputType.BYTES)) < 2, "a blank page has one colour");
    }

    @Test
    void aBinaryClassifiersReportHasCurvesConfusionRocAndPrecisionRecall() throws Exception {
        Path data = GenerateJob.run(spark, Generators.byName("imbalanced"), dir.resolve("imbalanced"), 4_000, 3);
        Path out = dir.resolve("classification");
        TrainJob.run(
                spark,
                TestSpecs.spec(
                        data.toString(),
                        "alert",
                        "data.id=[row_id]",
                        "data.ignore=[kind]",
                        "model.hidden=[16]",
                        "train.epochs=4",
                        "train.batch-size=128"),
                out);
        check(
                out.resolve(RunFiles.REPORT),
                "classification",
                Set.of("learning-loss", "learning-metric", "confusion", "per-class", "roc", "precision-recall"));
    }

    @Test
    void aRegressionReportHasResiduals() throws Exception {
        Path data = GenerateJob.run(spark, Generators.byName("prices"), dir.resolve("prices"), 3_000, 3);
        Path out = dir.resolve("regression");
        TrainJob.run(
                spark,
                TestSpecs.spec(
                        data.toString(),
                        "target",
                        "task=regression",
                        "data.id=[row_id]",
                        "data.nulls=impute",
                        "model.hidden=[16]",
                        "train.epochs=4"),
                out);
        check(
                out.resolve(RunFiles.REPORT),
                "regression",
                Set.of("learning-loss", "learning-metric", "predicted-vs-actual", "residuals"));
    }

    @Test
    void aForecastsReportHasForecastsAgainstActuals() throws Exception {
        Path data = GenerateJob.run(
                spark, Generators.byName("seasonal"), dir.resolve("seasonal"), 12L * SeasonalGenerator.STEPS, 3);
        Path out = dir.resolve("forecast");
        TrainJob.run(
                spark, TestSpecs.seasonalForecast(data.toString(), "lstm", "model.hidden=[8]", "train.epochs=3"), out);
        check(
                out.resolve(RunFiles.REPORT),
                "forecast",
                Set.of(
                        "learning-loss",
                        "learning-metric",
                        "forecast-window-1",
                        "forecast-window-4",
                        "predicted-vs-actual",
                        "residuals"));
    }

    @Test
    void anAutoencodersReportHasTheReconstructionErrorHistogram() throws Exception {
        Path data = GenerateJob.run(spark, Generators.byName("manifold"), dir.resolve("manifold"), 4_000, 3);
        Path out = dir.resolve("autoencoder");
        TrainJob.run(
                spark,
                TestSpecs.spec(
                        data.toString(),
                        "is_anomaly",
                        "data.id=[row_id]",
                        "model.type=autoencoder",
                        "model.hidden=[16]",
                        "model.bottleneck=4",
                        "model.normal-class=false",
                        "train.epochs=3",
                        "train.batch-size=128"),
                out);
        check(
                out.resolve(RunFiles.REPORT),
                "autoencoder",
                Set.of("learning-loss", "learning-metric", "reconstruction-errors"));
    }

    @Test
    void aGansReportHasGeneratedAgainstReal() throws Exception {
        Path data = GenerateJob.run(spark, Generators.byName("mixture"), dir.resolve("mixture"), 3_000, 3);
        Path out = dir.resolve("gan");
        TrainJob.run(
                spark,
                TestSpecs.spec(
                        data.toString(),
                        "",
                        "data.features=[x, y]",
                        "data.id=[row_id]",
                        "model.type=gan",
                        "model.gan.noise=4",
                        "model.gan.generator=[16]",
                        "model.gan.discriminator=[16]",
                        "model.gan.samples=500",
                        "train.epochs=3",
                        "train.batch-size=64"),
                out);
        check(out.resolve(RunFiles.REPORT), "gan", Set.of("learning-loss", "learning-metric", "generated-vs-real"));
    }

    @Test
    void aSweepsReportHasTheLeaderboardEveryTrialsCurvesAndEachKeyAgainstTheMetric() throws Exception {
        Path data = GenerateJob.run(spark, Generators.byName("classification"), dir.resolve("sweep-data"), 2_000, 3);
        Path spec = Files.writeString(dir.resolve("sweep.conf"), """
                name = report-sweep
                data { path = "%s", label = outcome, id = [customer_id], nulls = impute }
                model.hidden = [8]
                train { batch-size = 64, early-stopping.patience = 0 }
                sweep {
                  space {
                    "train.learning-rate" = {loguniform = [0.005, 0.05]}
                    "model.activation" = {choice = [relu, tanh]}
                  }
                  strategy = random, trials = 3, parallel = 1, max-epochs = 2
                  metric = accuracy
                }
                """.formatted(data));
        Path out = dir.resolve("sweep");
        SweepJob.run(spark, SpecLoader.load(spec, List.of()), out);
        check(
                out.resolve(RunFiles.REPORT),
                "sweep",
                Set.of("leaderboard", "trial-curves", "param-train.learning-rate", "param-model.activation"));
        // The best trial is published as a train run, with its own report.
        check(
                out.resolve(RunFiles.BEST).resolve(RunFiles.REPORT),
                "sweep-best",
                Set.of("learning-loss", "learning-metric", "confusion", "per-class"));
    }

    /**
     * Opens {@code page}: no console messages of level SEVERE, exactly the {@code expected} charts (by
     * {@code data-chart}), each with non-zero size and, for an SVG, something drawn; then a screenshot with more than
     * a few colours.
     */
    private static void check(Path page, String name, Set<String> expected) throws Exception {
        assertTrue(Files.exists(page), page + " was not written");
        // Self-contained: nothing fetched, no script (the one link is a sweep's, to its best trial's page).
        String html = Files.readString(page).replace("<a href=\"best/report.html\">", "");
        for (String external : List.of("<script", "src=", "href=", "@import", "url(")) {
            assertFalse(html.contains(external), name + " fetches or runs something: " + external);
        }
        severe(); // drops what earlier pages left in the log
        browser.get(page.toUri().toString());
        assertEquals("complete", browser.executeScript("return document.readyState"));
        List<WebElement> charts = browser.findElements(By.cssSelector("[data-chart]"));
        Set<String> ids = new HashSet<>();
        for (WebElement chart : charts) {
            String id = chart.getAttribute("data-chart");
            ids.add(id);
            Dimension size = chart.getSize();
            assertTrue(size.getWidth() > 0 && size.getHeight() > 0, name + ": chart " + id + " is " + size);
            if (chart.getTagName().equals("svg")) {
                assertFalse(
                        chart.findElements(By.cssSelector("polyline, circle, rect"))
                                .isEmpty(),
                        name + ": chart " + id + " draws nothing");
            }
        }
        assertTrue(ids.containsAll(expected), name + ": charts " + ids + ", expected " + expected);
        List<String> errors = severe();
        assertTrue(errors.isEmpty(), name + ": console " + errors);
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name + ".png"), png);
        assertTrue(colours(png) > 8, name + ": the screenshot is blank");
    }

    private static List<String> severe() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .collect(Collectors.toList());
    }

    /** Distinct colours in a PNG (counted up to 1,000). */
    private static int colours(byte[] png) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight() && seen.size() < 1000; y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
