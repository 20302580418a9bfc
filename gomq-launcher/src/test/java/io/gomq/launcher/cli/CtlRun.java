package io.gomq.launcher.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One gomqctl run in-process, with no standard input: exit code and what it printed. */
record CtlRun(int code, String out, String err) {

    static CtlRun of(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GomqCtl.run(args, env, new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new CtlRun(code, out.toString(), err.toString());
    }
}
