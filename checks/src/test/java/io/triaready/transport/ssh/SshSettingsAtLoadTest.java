package io.triaready.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.PlaybookException;
import io.triaready.base.yaml.Problem;
import io.triaready.base.yaml.YNode;
import io.triaready.inventory.InventoryLoader;
import io.triaready.spi.HostConnectors;
import io.triaready.spi.HostSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ssh transport parses each host's settings when the inventory is read ({@link SshConnector#parse}). */
class SshSettingsAtLoadTest {
    @TempDir
    Path home;

    private HostConnectors transports() {
        return new HostConnectors(List.of(new io.triaready.transport.local.LocalConnector(), new SshConnector(new SshSettings.Environment(home, "me", k -> null))));
    }

    private InventoryLoader.Inventory parse(String yaml, Interpolator.External external, Map<String, String> env) {
        return InventoryLoader.parse(transports(), YNode.parse(yaml, "targets.yaml"), external, env::get, new Secrets());
    }

    private List<String> problems(String yaml) {
        try {
            parse(yaml, Interpolator.External.RESOLVE, Map.of());
        } catch (PlaybookException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
        return List.of();
    }

    @Test
    void eachHostCarriesItsTypedSettingsResolvedAgainstTheSshConfigOnce() throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/config"), "Host web-1\n  HostName 10.0.0.11\n  User deploy\n  Port 2200\n");
        var inv = parse("""
                targets:
                  fleet:
                    ssh: {connect_timeout: 3s, max_channels: 4, exec: shell}
                    hosts: [web-1, {name: web-2, host: 10.0.0.12, port: "2222", user: root}]
                """, Interpolator.External.RESOLVE, Map.of());
        List<HostSpec> hosts = inv.target("fleet").orElseThrow().hosts();
        SshSettings one = (SshSettings) hosts.get(0).parsed();
        SshSettings two = (SshSettings) hosts.get(1).parsed();
        assertThat(one.label()).isEqualTo("deploy@10.0.0.11:2200");
        assertThat(one.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(one.maxChannels()).isEqualTo(4);
        assertThat(one.shellLanes()).isTrue();
        assertThat(two.label()).isEqualTo("root@10.0.0.12:2222");
        // the ssh config was read at load: changing it now changes nothing for this run
        Files.writeString(home.resolve(".ssh/config"), "Host web-1\n  HostName 10.9.9.9\n");
        assertThat(((SshSettings) inv.target("fleet").orElseThrow().hosts().get(0).parsed()).hostName()).isEqualTo("10.0.0.11");
    }

    @Test
    void aSettingTheTransportRefusesIsReportedAtItsPosition() {
        assertThat(problems("targets:\n  t:\n    ssh: {host: h, ssh_config: none, exec: lanes}\n"))
                .containsExactly("targets.yaml:3:44: ssh host h: 'exec' must be shell or channel, got 'lanes'");
        assertThat(problems("targets:\n  t:\n    ssh: {host: h, ssh_config: /nope/config}\n"))
                .containsExactly("targets.yaml:3:32: ssh host h: ssh_config /nope/config does not exist (use ssh_config: none to ignore it)");
        assertThat(problems("targets:\n  t:\n    ssh: {host: h, ssh_config: none, accept_new_host_keys: maybe}\n"))
                .containsExactly("targets.yaml:3:60: ssh host h: 'accept_new_host_keys' must be true or false, got 'maybe'");
        // a host's own entry: the position of its own setting
        assertThat(problems("targets:\n  t:\n    ssh: {ssh_config: none}\n    hosts: [{name: a, host: h, proxy_jump: 'b:seventy'}]\n"))
                .containsExactly("targets.yaml:4:44: ssh host a: invalid port 'seventy' in proxy_jump");
        // one report per mistake: a range the loader reported is not reported again by the transport
        assertThat(problems("targets:\n  t:\n    ssh: {host: h, ssh_config: none, port: 0}\n"))
                .containsExactly("targets.yaml:3:44: 'port' must be a whole number from 1 to 65535, got 0");
    }

    @Test
    void aPlaceholderIsNotCheckedAndLeavesTheHostToBeParsedAtConnect() {
        String yaml = "targets:\n  t:\n    ssh: {host: h, ssh_config: none, passphrase: \"${env:KEY_PASS}\"}\n";
        var validate = parse(yaml, Interpolator.External.PLACEHOLDER, Map.of());
        assertThat(validate.target("t").orElseThrow().hosts().get(0).parsed()).isNull();
        var audit = parse(yaml, Interpolator.External.RESOLVE, Map.of("KEY_PASS", "s3cret"));
        SshSettings s = (SshSettings) audit.target("t").orElseThrow().hosts().get(0).parsed();
        assertThat(s.passphrase()).isEqualTo("s3cret");
        assertThat(s.toString()).doesNotContain("s3cret");
    }

    @Test
    void aHostBuiltInCodeIsStillResolvedAtConnect() {
        assertThatThrownBy(() -> SshSettings.resolve(new HostSpec("x", "ssh", Map.of("exec", "lanes")),
                new SshSettings.Environment(home, "me", k -> null)))
                .hasMessage("ssh host x: 'exec' must be shell or channel, got 'lanes'");
    }
}
