package io.triaready.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Durations;
import io.triaready.base.yaml.Interpolator;
import io.triaready.builtin.BuiltIns;
import io.triaready.core.engine.Engine;
import io.triaready.core.engine.RunOptions;
import io.triaready.spi.HostSpec;
import io.triaready.spi.Session;
import io.triaready.spi.SpeedTricks;
import io.triaready.spi.Target;

/**
 * An audit's connections, started from a first look at its command line while picocli still reads it.
 *
 * <p>Why: building picocli's model of a command and reading the inventory take a cold JVM 0.1-0.3 s,
 * and the SSH handshake behind them is several network round trips. Started from here, the TCP connect
 * and the key exchange run while the command line is read; behind 25 ms of delay that is most of the
 * time an audit spends before its first check.
 *
 * <p>Safety: the session is {@linkplain Session#tentative() tentative}. Its connections exchange keys
 * but neither read a key (no passphrase prompt) nor log in until {@link #adopt} finds that the audit's
 * real target, read by the normal path, is the one guessed here; anything else (a mistake on the
 * command line, a different target, an inventory that accepts new host keys) closes it unused. A guess
 * can only be wasted, never used for the wrong hosts.
 */
final class Headstart implements AutoCloseable {
    static final Headstart NONE = new Headstart(null);

    /** What a first look at {@code audit}'s arguments says; {@code inventory} is null when not given. */
    record Guess(Path inventory, String target, Duration timeout, int concurrency) {}

    private final Guess guess;
    /** Reads the inventory and starts the connections; null for {@link #NONE}. */
    private final Thread thread;
    private final Object lock = new Object();
    /** The hosts {@link #session} connects to, for {@link #adopt} to compare. */
    private java.util.List<HostSpec> hosts;
    private Session session;
    private boolean settled;

    private Headstart(Guess guess) {
        this.guess = guess;
        if (guess == null) {
            thread = null;
        } else {
            thread = new Thread(this::connect, "tria-headstart");
            thread.setDaemon(true);
        }
    }

    /**
     * For {@code audit ARGS}: starts connecting to the target's SSH hosts on a side thread. When the
     * arguments are not plain enough to guess from, only warms the transports' code up.
     */
    static Headstart start(String[] args) {
        // the transports' code (MINA, the JDK's crypto) loads on a thread of its own while the inventory is read
        BuiltIns.warmUpInBackground();
        Guess guess = guess(args);
        if (guess == null) return NONE;
        Headstart h = new Headstart(guess);
        h.thread.start();
        return h;
    }

    /**
     * The inventory, target, timeout and concurrency an {@code audit} command line names, read the way
     * picocli will ({@code -t X}, {@code -tX}, {@code --target X}, {@code --target=X}); null when unsure:
     * an argument file, a value that does not parse, {@code --accept-new-host-keys} (that writes
     * known_hosts during the key exchange), {@code --help} or {@code --version} (nothing to connect for).
     */
    static Guess guess(String[] args) {
        if (args.length == 0 || !args[0].equals("audit")) return null;
        Path inventory = null;
        String target = "local";
        Duration timeout = RunOptions.DEFAULT_TIMEOUT;
        int concurrency = AuditCommand.DEFAULT_CONCURRENCY;
        try {
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--")) break;
                if (a.startsWith("@") || a.equals("--accept-new-host-keys") || HELP.contains(a)) return null;
                String[] named = option(a);
                if (named == null) continue;
                String value = named[1];
                if (value == null) {
                    if (i + 1 >= args.length) return null;
                    value = args[++i];
                }
                switch (named[0]) {
                    case "i" -> inventory = Path.of(value);
                    case "t" -> target = value;
                    case "timeout" -> timeout = Durations.parse(value);
                    case "j" -> concurrency = Integer.parseInt(value);
                    default -> throw new IllegalStateException(named[0]);
                }
            }
        } catch (RuntimeException unsure) {
            return null;
        }
        return new Guess(inventory, target, timeout, concurrency);
    }

    /** Arguments that print and exit: nothing to connect for. */
    private static final java.util.Set<String> HELP = java.util.Set.of("-h", "--help", "-V", "--version");

    /** {name, value or null} when {@code arg} is one of the options a guess reads; null otherwise. */
    private static String[] option(String arg) {
        for (String[] o : new String[][] {{"i", "-i", "--inventory"}, {"t", "-t", "--target"}, {"timeout", null, "--timeout"},
                {"j", "-j", "--concurrency"}}) {
            if (arg.equals(o[2]) || arg.equals(o[1])) return new String[] {o[0], null};
            if (arg.startsWith(o[2] + "=")) return new String[] {o[0], arg.substring(o[2].length() + 1)};
            if (o[1] != null && arg.startsWith(o[1]) && arg.length() > 2) return new String[] {o[0], arg.substring(2)};
        }
        return null;
    }

    /** On the side thread: reads the inventory and starts the connections; any doubt leaves it to the normal path. */
    private void connect() {
        try {
            // the audit's own way from options to a target; its own Secrets: the audit reads the inventory
            // again and registers them for masking
            PlaybookOptions options = new PlaybookOptions();
            options.inventory = guess.inventory();
            options.target = guess.target();
            Target t = Loading.target(options, Interpolator.External.RESOLVE, new Secrets());
            if (t.hosts().stream().allMatch(h -> h.transport().equals("local"))) return;
            if (t.hosts().stream().anyMatch(Headstart::acceptsNewHostKeys)) return;
            synchronized (lock) {
                if (settled) return;
                hosts = t.hosts();
                session = Session.tentative();
                session.useSpeedTricks(SpeedTricks.ON); // a head start is one (TriaReady starts none without them)
                new Engine(BuiltIns.hostConnectors()).preconnect(t, session, guess.timeout(), guess.concurrency());
            }
        } catch (RuntimeException | LinkageError doubt) {
            // the normal path reads the same files and reports what is wrong with them
        }
    }

    private static boolean acceptsNewHostKeys(HostSpec host) {
        Object v = host.settings().get("accept_new_host_keys");
        return v != null && !v.equals(Boolean.FALSE) && !"false".equals(v);
    }

    /**
     * The session connecting to {@code target}'s hosts, now allowed to log in, when the guess was right
     * about them and about the timeout and concurrency they were opened with; otherwise empty (and the
     * guessed connections are closed unused).
     */
    Optional<Session> adopt(Target target, Duration timeout, int concurrency) {
        if (thread == null) return Optional.empty();
        try {
            thread.join(timeout.toMillis()); // still reading the inventory: let it finish rather than connect twice
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            settled = true;
            if (session == null || !hosts.equals(target.hosts()) || !guess.timeout().equals(timeout)
                    || guess.concurrency() != concurrency) {
                closeUnadopted();
                return Optional.empty();
            }
            Session s = session;
            session = null; // the audit closes it now
            s.goAhead();
            return Optional.of(s);
        }
    }

    /** Closes the guessed session when no audit took it (a mistake on the command line, an exception). */
    @Override
    public void close() {
        synchronized (lock) {
            settled = true;
            closeUnadopted();
        }
    }

    private void closeUnadopted() {
        if (session != null) session.close();
        session = null;
    }
}
