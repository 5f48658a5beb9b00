package io.trainyard.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trainyard.spec.JobSpec;
import io.trainyard.spec.SpecKeys;
import io.trainyard.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation as a reader meets it: a README short enough to read in minutes that reaches every page, links
 * that lead somewhere, a spec reference that names exactly the keys a spec may set, and the README's spec a valid one.
 */
class DocsTest {
    private static final Path README = Path.of("README.md");
    private static final Path DOCS = Path.of("docs");
    private static final Path REFERENCE = DOCS.resolve("spec-reference.md");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#+ (.+)$");

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(README, Path.of("SECURITY.md"), Path.of("CHANGELOG.md")));
        try (Stream<Path> docs = Files.list(DOCS)) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @Test
    void theReadmeIsAFrontDoorThatReachesEveryPage() throws IOException {
        String readme = Files.readString(README);
        long lines = readme.lines().count();
        assertTrue(lines <= 250, "README.md has " + lines + " lines; reference belongs in docs/");
        List<String> unlinked = new ArrayList<>();
        for (Path page : pages()) {
            if (!page.equals(README) && !readme.contains("](" + page.toString().replace('\\', '/') + ")")) {
                unlinked.add(page.toString());
            }
        }
        assertEquals(List.of(), unlinked, "pages the README does not link");
    }

    @Test
    void everyRelativeLinkLeadsToAFileAndHeadingThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved =
                        file.isEmpty() ? page : page.resolveSibling(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(page + " -> " + target + " (no such file)");
                } else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(page + " -> " + target + " (no such heading)");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    /** GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as hyphens. */
    private static Set<String> anchors(Path page) throws IOException {
        Set<String> out = new TreeSet<>();
        Matcher m = HEADING.matcher(Files.readString(page));
        while (m.find()) {
            out.add(m.group(1)
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9 _-]", "")
                    .replace(' ', '-'));
        }
        return out;
    }

    @Test
    void theSpecReferenceDocumentsEveryKeyAndNoOther() throws IOException {
        Set<String> documented = documentedKeys(Files.readString(REFERENCE));
        Set<String> known = new TreeSet<>(SpecKeys.knownKeys());
        known.add(SpecLoader.SWEEP_SPACE);
        Set<String> undocumented = new TreeSet<>(known);
        undocumented.removeAll(documented);
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(known);
        assertEquals(Set.of(), undocumented, "keys of conf/defaults.conf missing from " + REFERENCE);
        assertEquals(Set.of(), unknown, "keys " + REFERENCE + " documents that no spec may set");
    }

    /**
     * The keys in the first column of the reference's tables: {@code `data.sequence.window`, `.horizon`} names
     * {@code data.sequence.window} and {@code data.sequence.horizon}.
     */
    static Set<String> documentedKeys(String reference) {
        Set<String> keys = new TreeSet<>();
        for (String line : reference.lines().toList()) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String cell = line.substring(2, line.indexOf(" |", 2));
            String parent = "";
            Matcher key = Pattern.compile("`([^`]+)`").matcher(cell);
            while (key.find()) {
                String name = key.group(1);
                if (name.startsWith(".")) {
                    name = parent + name;
                } else {
                    parent = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : "";
                }
                keys.add(name);
            }
        }
        return keys;
    }

    @Test
    void keysAreReadFromTheReferencesTableRows() {
        assertEquals(
                Set.of("data.sequence.window", "data.sequence.horizon", "name"),
                documentedKeys("| `data.sequence.window`, `.horizon` | `0`, `1` | x |\n| `name` | required | y |\n"
                        + "text `not.a.key` |\n"));
    }

    @Test
    void theReadmesFirstSpecIsAValidSpec() throws IOException {
        Matcher m = Pattern.compile("```hocon\\n(.*?)\\n```", Pattern.DOTALL).matcher(Files.readString(README));
        assertTrue(m.find(), "README.md shows no spec");
        JobSpec spec = SpecLoader.parse(m.group(1), List.of());
        assertEquals("quickstart", spec.name());
        // It is the quickstart job, without its sweep block.
        JobSpec job = SpecLoader.load(Path.of("jobs/quickstart.conf"), List.of());
        assertEquals(job.model(), spec.model());
        assertEquals(job.train(), spec.train());
        assertEquals(job.data(), spec.data());
    }
}
