package io.gomq.launcher.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The web console's files, served from the jar: GET / is the page; GET /console/NAME its script
 * and style sheet; GET /console/lib/uplot-VERSION/NAME the uPlot chart library from its WebJar.
 * All are read once, when the API starts, so a request never touches the disk.
 *
 * <p>Caching: the console's own files answer with an ETag and {@code Cache-Control: no-cache}
 * (a new broker version is seen at once; an unchanged file costs a 304); the library's path
 * carries its version, so it is cached for a year as immutable.
 */
final class ConsoleFiles implements ApiHandler {
    static final String PREFIX = "/console/";
    private static final String OWN = "/io/gomq/launcher/console/";
    private static final String UPLOT_DIST = "/META-INF/resources/webjars/uplot/%s/dist/";
    private static final String NO_CACHE = "no-cache";
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private record File(String contentType, byte[] body, String etag, String cacheControl) {
    }

    private final Map<String, File> files = new LinkedHashMap<>();

    /** @throws UncheckedIOException when a file is missing from the jar (a broken build) */
    ConsoleFiles() {
        String uplotVersion = webjarVersion("uplot.version");
        String lib = "lib/uplot-" + uplotVersion + "/";
        String index = new String(read(OWN + "index.html"), StandardCharsets.UTF_8).replace("{{uplot}}", PREFIX + lib);
        add("/", "text/html; charset=utf-8", index.getBytes(StandardCharsets.UTF_8), NO_CACHE);
        add(PREFIX + "console.js", "text/javascript; charset=utf-8", read(OWN + "console.js"), NO_CACHE);
        add(PREFIX + "console.css", "text/css; charset=utf-8", read(OWN + "console.css"), NO_CACHE);
        String dist = String.format(UPLOT_DIST, uplotVersion);
        add(PREFIX + lib + "uPlot.iife.min.js", "text/javascript; charset=utf-8", read(dist + "uPlot.iife.min.js"), IMMUTABLE);
        add(PREFIX + lib + "uPlot.min.css", "text/css; charset=utf-8", read(dist + "uPlot.min.css"), IMMUTABLE);
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        File f = files.get(request.rawPath());
        if (f == null) {
            throw new ApiException(HttpResponseStatus.NOT_FOUND, "no such console file");
        }
        if (f.etag().equals(request.header(HttpHeaderNames.IF_NONE_MATCH))) {
            return withCaching(ApiResponse.bytes(HttpResponseStatus.NOT_MODIFIED, f.contentType(), new byte[0]), f);
        }
        return withCaching(ApiResponse.bytes(HttpResponseStatus.OK, f.contentType(), f.body()), f);
    }

    private static ApiResponse withCaching(ApiResponse r, File f) {
        return r.header(HttpHeaderNames.ETAG.toString(), f.etag())
                .header(HttpHeaderNames.CACHE_CONTROL.toString(), f.cacheControl())
                .header("X-Content-Type-Options", "nosniff");
    }

    private void add(String path, String type, byte[] body, String cacheControl) {
        files.put(path, new File(type, body, etag(body), cacheControl));
    }

    private static String webjarVersion(String key) {
        Properties p = new Properties();
        try (InputStream in = ConsoleFiles.class.getResourceAsStream(OWN + "webjars.properties")) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("missing " + OWN + "webjars.properties in the jar"));
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty(key);
    }

    private static byte[] read(String resource) {
        try (InputStream in = ConsoleFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("missing " + resource + " in the jar"));
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static String etag(byte[] body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
