package io.jpod.cli;

import io.jpod.core.Container;

import java.util.List;

/**
 * `system boot`: run once after the host boots (from rc.local, cron's @reboot or an init script); starts the
 * containers whose restart policy is always, or unless-stopped and not stopped by the user. podman leaves this to
 * a systemd unit; jpod needs none.
 */
final class BootCommand implements Command {
    public String name() { return "system-boot"; }
    public String summary() { return "Start the containers whose restart policy restarts them after a reboot"; }
    public List<Flag> flags() { return List.of(); }

    public int run(Cli cli, Args a) {
        for (Container c : cli.engine().boot()) cli.out.println(c.id());
        return 0;
    }
}
