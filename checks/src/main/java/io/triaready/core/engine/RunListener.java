package io.triaready.core.engine;

import io.triaready.core.playbook.CheckDef;
import io.triaready.core.result.CheckResult;

/** Progress callbacks (called from worker threads): for live displays. */
public interface RunListener {
    RunListener NONE = new RunListener() { };

    /** The run will evaluate {@code total} checks. */
    default void planned(int total) { }

    default void started(CheckDef check) { }

    default void finished(CheckResult result) { }
}
