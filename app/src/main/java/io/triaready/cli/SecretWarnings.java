package io.triaready.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.triaready.base.secret.Secrets;
import io.triaready.core.playbook.CheckDef;
import io.triaready.core.playbook.FixDef;
import io.triaready.core.playbook.Playbook;
import io.triaready.spi.HostSpec;
import io.triaready.spi.Target;

/**
 * Says, once per run and before it starts, which secrets will make the report hard to read: one too
 * short to be masked (it will show), one equal to an ordinary value of the playbook or inventory (a
 * user name, a host, a check id: masked wherever that value appears). See docs/security.md.
 */
final class SecretWarnings {
    /** Settings whose values are not secrets, compared with the secrets' values. */
    private static final Set<String> PLAIN_SETTINGS = Set.of("host", "user", "database", "dbname", "db");

    private SecretWarnings() {}

    static void print(Secrets secrets, Target target, Playbook playbook, PrintWriter err) {
        Map<String, String> plain = new LinkedHashMap<>();
        plain.put(target.name(), "the target's name");
        for (HostSpec h : target.hosts()) {
            plain.putIfAbsent(h.name(), "the host name '" + h.name() + "'");
            h.settings().forEach((k, v) -> {
                if (PLAIN_SETTINGS.contains(k) && v instanceof String s) plain.putIfAbsent(s, "the " + h.transport() + " " + k + " of host " + h.name());
            });
        }
        target.endpoints().forEach((name, settings) -> settings.forEach((k, v) -> {
            if (PLAIN_SETTINGS.contains(k) && v instanceof String s) plain.putIfAbsent(s, "the " + k + " of endpoint " + name);
        }));
        if (playbook != null) {
            plain.putIfAbsent(playbook.id(), "the playbook id");
            for (CheckDef c : playbook.checks()) plain.putIfAbsent(c.id(), "the id of check " + c.id());
            for (FixDef f : playbook.fixes()) plain.putIfAbsent(f.id(), "the id of fix " + f.id());
        }
        secrets.checkCollisions(plain);
        for (String w : secrets.warnings()) err.println("tria-ready: warning: " + w);
        err.flush();
    }
}
