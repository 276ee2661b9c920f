package io.triaready.check;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The check types a playbook may use, by YAML key. Explicit registration (no classpath scanning):
 * a new check type is one package plus one line in {@link #builtins()}.
 */
public final class CheckTypes {
    private final Map<String, CheckType> byName = new LinkedHashMap<>();

    public CheckTypes(List<CheckType> types) {
        for (CheckType t : types) byName.put(t.name(), t);
    }

    public static CheckTypes builtins() {
        return new CheckTypes(List.of(
                new io.triaready.command.CommandCheckType(),
                new io.triaready.file.FileCheckType(),
                new io.triaready.attest.AttestCheckType(),
                new io.triaready.http.HttpCheckType(),
                new io.triaready.tcp.TcpCheckType(),
                new io.triaready.sql.SqlCheckType(),
                new io.triaready.redis.RedisCheckType(),
                new io.triaready.metrics.MetricsCheckType(),
                new io.triaready.prometheus.PrometheusCheckType(),
                new io.triaready.tls.TlsCheckType(),
                new io.triaready.service.ServiceCheckType(),
                new io.triaready.process.ProcessCheckType(),
                new io.triaready.port.PortCheckType(),
                new io.triaready.cron.CronCheckType(),
                new io.triaready.envfile.EnvFileCheckType(),
                new io.triaready.disk.DiskCheckType(),
                new io.triaready.memory.MemoryCheckType()));
    }

    public Optional<CheckType> get(String name) { return Optional.ofNullable(byName.get(name)); }

    public Collection<String> names() { return byName.keySet(); }

    public Collection<CheckType> all() { return byName.values(); }
}
