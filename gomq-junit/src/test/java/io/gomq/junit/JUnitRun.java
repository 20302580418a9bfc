package io.gomq.junit;

import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Map;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Runs test classes through the JUnit Platform, as a build would, and fails unless all of them pass. */
final class JUnitRun {
    private JUnitRun() {
    }

    static TestExecutionSummary runAndPass(Map<String, String> configuration, Class<?>... testClasses) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(Arrays.stream(testClasses).map(c -> selectClass(c)).toList())
                .configurationParameters(configuration)
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        if (summary.getTotalFailureCount() > 0 || summary.getTestsSucceededCount() == 0
                || summary.getContainersFailedCount() > 0) {
            StringWriter out = new StringWriter();
            summary.printFailuresTo(new PrintWriter(out), 30);
            throw new AssertionError(summary.getTestsSucceededCount() + " tests passed, "
                    + summary.getTotalFailureCount() + " failed:\n" + out);
        }
        return summary;
    }
}
