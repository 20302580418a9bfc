package io.gomq.junit.readme;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's Java snippets are compiled and run: each ```java block follows a marker
 * {@code <!-- snippet: PATH#TAG -->} naming a test source, and must equal the lines of that file
 * between its {@code // tag::TAG[]} and {@code // end::TAG[]} comments (several regions are joined,
 * common indentation removed). Those sources are tests of their modules, so a snippet that no
 * longer compiles breaks the build, one that no longer works fails its test, and a README that
 * drifts from them fails here. Lives in the last module: it reads text, every module's sources.
 */
class ReadmeSnippetsTest {
    private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->");

    @Test
    void everyJavaBlockOfTheReadmeIsATestedSnippet() throws IOException {
        Path root = repositoryRoot();
        List<String> readme = Files.readAllLines(root.resolve("README.md"));
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (int i = 0; i < readme.size(); i++) {
            if (!readme.get(i).strip().equals("```java")) {
                continue;
            }
            int end = i + 1;
            while (end < readme.size() && !readme.get(end).strip().equals("```")) {
                end++;
            }
            String block = String.join("\n", readme.subList(i + 1, end));
            Matcher marker = i > 0 ? MARKER.matcher(readme.get(i - 1).strip()) : null;
            if (marker == null || !marker.matches()) {
                problems.add("README.md:" + (i + 1) + ": a ```java block without a '<!-- snippet: PATH#TAG -->' line above it");
            } else {
                String expected = snippet(root.resolve(marker.group(1)), marker.group(2));
                if (!expected.equals(block)) {
                    problems.add("README.md:" + (i + 1) + ": differs from " + marker.group(1) + "#" + marker.group(2)
                            + "; it should read:\n" + expected);
                }
                checked++;
            }
            i = end;
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n\n", problems));
        }
        assertTrue(checked >= 3, "the README's snippets were found (" + checked + ")");
    }

    @Test
    void aSnippetIsTheTaggedRegionsJoinedAndDedented() throws IOException {
        Path file = Files.createTempFile("snippet", ".java");
        try {
            Files.writeString(file, String.join("\n", "class X {", "    // tag::t[]", "    void a() {", "        a();",
                    "    // end::t[]", "        b();", "    // tag::t[]", "    }", "    // end::t[]", "}"));
            assertEquals("void a() {\n    a();\n}", snippet(file, "t"));
        } finally {
            Files.delete(file);
        }
    }

    /** The lines between the tag's start and end comments, all regions joined, common indentation removed. */
    static String snippet(Path file, String tag) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("snippet source " + file + " does not exist");
        }
        List<String> lines = new ArrayList<>();
        boolean inside = false;
        for (String line : Files.readAllLines(file)) {
            String s = line.strip();
            if (s.equals("// tag::" + tag + "[]")) {
                inside = true;
            } else if (s.equals("// end::" + tag + "[]")) {
                inside = false;
            } else if (inside) {
                lines.add(line);
            }
        }
        if (lines.isEmpty()) {
            throw new AssertionError("no '// tag::" + tag + "[]' region in " + file);
        }
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return String.join("\n", lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
    }

    private static Path repositoryRoot() throws IOException {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path pom = p.resolve("pom.xml");
            if (Files.isRegularFile(pom) && Files.readString(pom).contains("<modules>")
                    && Files.isRegularFile(p.resolve("README.md"))) {
                return p;
            }
        }
        throw new AssertionError("no repository root (the pom.xml with the modules) above " + Path.of("").toAbsolutePath());
    }
}
