package com.oddsgate.config;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A setting that cannot be bound stops the start-up with one line that names it and says why,
 * without the value (it may be a secret): "invalid configuration: oddsgate.x.y: …".
 */
public class SettingsFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        if (!cause.getName().toString().startsWith("oddsgate")) {
            return null; // Spring's own analysis for everything else
        }
        Throwable root = cause;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        String line = message.startsWith("invalid configuration: ") ? message
                : "invalid configuration: " + cause.getName() + ": cannot be read as " + cause.getTarget().getType();
        return new FailureAnalysis(line, "Correct that setting (config/application.yaml says what each one takes).", cause);
    }
}
