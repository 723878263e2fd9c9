package io.jpod.cli;

import io.jpod.core.Container;
import io.jpod.core.ProcFs;
import io.jpod.engine.ContainerEngine.StatsSample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `stats`: CPU, memory, network, block I/O and pids of containers, from their cgroups (v1 here, v2 where it
 * runs) and network namespaces. CPU % is CPU time over wall time since the previous reading (since the start for
 * the first), AVG CPU % over the container's whole run, as podman computes them.
 */
final class StatsCommand implements Command {
    static final String DEFAULT = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t"
            + "{{.BlockIO}}\t{{.PIDS}}\t{{.UpTime}}\t{{.AVGCPU}}";
    static final Map<String, String> HEADERS = Map.of("CPUPerc", "CPU %", "MemUsage", "MEM USAGE / LIMIT",
            "MemUsageBytes", "MEM USAGE / LIMIT", "MemPerc", "MEM %", "NetIO", "NET IO", "BlockIO", "BLOCK IO",
            "PIDS", "PIDS", "UpTime", "CPU TIME", "AVGCPU", "AVG CPU %", "CPU", "CPU %");

    public String name() { return "stats"; }
    public String summary() { return "Display a live stream of container resource usage statistics"; }
    public List<Flag> flags() {
        return List.of(Flag.bool("all", 'a', "show all containers; only running ones by default"),
                Flag.value("format", "pretty-print container statistics to JSON or using a Go template"),
                Flag.value("interval", 'i', "time in seconds between stats reports (default 5)"),
                Flag.bool("no-reset", "disable resetting the screen between intervals"),
                Flag.bool("no-stream", "disable streaming stats and only pull the first result"),
                Flag.bool("latest", 'l', "act on the latest container"));
    }

    public int run(Cli cli, Args a) throws Exception {
        int interval = 5;
        if (a.get("interval") != null) {
            try {
                interval = Integer.parseInt(a.get("interval"));
            } catch (NumberFormatException e) {
                interval = 0;
            }
            if (interval < 1) throw new UsageException("invalid --interval \"" + a.get("interval") + "\": give a whole number of seconds, 1 or more");
        }
        Map<String, StatsSample> previous = new HashMap<>();
        while (true) {
            List<StatsSample> samples = a.positionals().isEmpty() && a.bool("all")
                    ? cli.engine().stats(cli.engine().list().stream().map(Container::id).toList())
                    : cli.engine().stats(a.positionals());
            io.jpod.sys.Trace.mark("stats: read");
            List<Views.Row> rows = new ArrayList<>();
            for (StatsSample s : samples) rows.add(row(s, previous.get(s.container().id())));
            if (!a.bool("no-stream") && !a.bool("no-reset")) cli.out.print("\033[2J\033[1;1H");
            io.jpod.sys.Trace.mark("stats: rows built");
            Output.rows(cli, a.get("format"), DEFAULT, rows, HEADERS, " ");
            io.jpod.sys.Trace.mark("stats: rendered");
            cli.flush();
            if (a.bool("no-stream")) return 0;
            for (StatsSample s : samples) previous.put(s.container().id(), s);
            Thread.sleep(Duration.ofSeconds(interval));
        }
    }

    static Views.Row row(StatsSample s, StatsSample prev) {
        Container c = s.container();
        ProcFs.Usage u = s.usage() != null ? s.usage() : new ProcFs.Usage(0, 0, 0, 0, 0, 0, 0, 0);
        double cpu = 0, avg = 0;
        if (s.usage() != null && c.state().startedAt() != null) {
            long upNanos = Duration.between(c.state().startedAt(), s.at()).toNanos();
            avg = upNanos <= 0 ? 0 : u.cpuNanos() * 100.0 / upNanos;
            if (prev != null && prev.usage() != null) {
                long wall = Duration.between(prev.at(), s.at()).toNanos();
                cpu = wall <= 0 ? 0 : (u.cpuNanos() - prev.usage().cpuNanos()) * 100.0 / wall;
            } else {
                cpu = avg;
            }
        }
        double memPerc = u.memoryLimit() <= 0 ? 0 : u.memoryBytes() * 100.0 / u.memoryLimit();
        String cpuTime = io.jpod.core.TopTable.goDuration(Duration.ofNanos(u.cpuNanos()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", c.id().substring(0, 12));
        m.put("Name", c.name());
        m.put("CPUPerc", percent(cpu));
        m.put("MemUsage", size(u.memoryBytes()) + " / " + size(u.memoryLimit()));
        m.put("MemUsageBytes", bytes(u.memoryBytes()) + " / " + bytes(u.memoryLimit()));
        m.put("MemPerc", percent(memPerc));
        m.put("NetIO", size(u.netRx()) + " / " + size(u.netTx()));
        m.put("BlockIO", size(u.blockRead()) + " / " + size(u.blockWrite()));
        m.put("PIDS", Long.toString(u.pids()));
        m.put("PIDs", Long.toString(u.pids()));
        m.put("CPU", cpu);
        m.put("CPUNano", u.cpuNanos());
        m.put("AVGCPU", percent(avg));
        m.put("UpTime", cpuTime);
        m.put("MemUsageRaw", u.memoryBytes());
        m.put("MemLimit", u.memoryLimit());
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", m.get("ID"));
        j.put("name", c.name());
        j.put("cpu_time", cpuTime);
        j.put("cpu_percent", m.get("CPUPerc"));
        j.put("avg_cpu", m.get("AVGCPU"));
        j.put("mem_usage", m.get("MemUsage"));
        j.put("mem_percent", m.get("MemPerc"));
        j.put("net_io", m.get("NetIO"));
        j.put("block_io", m.get("BlockIO"));
        j.put("pids", m.get("PIDS"));
        return new Views.Row(m, j);
    }

    /** "%.2f%%" without java.util.Formatter, whose first use costs a cold JVM milliseconds. */
    static String percent(double v) {
        long hundredths = Math.round(v * 100);
        long frac = Math.abs(hundredths % 100);
        return (hundredths < 0 && hundredths > -100 ? "-" : "") + (hundredths / 100) + "." + (frac < 10 ? "0" : "") + frac + "%";
    }

    /** go-units HumanSize: decimal units, 4 significant digits, no space ("2.621MB", "656B"). */
    static String size(long v) {
        return scaled(v, 1000, new String[] {"B", "kB", "MB", "GB", "TB", "PB", "EB"});
    }

    /** go-units BytesSize: binary units ("2.5MiB"). */
    static String bytes(long v) {
        return scaled(v, 1024, new String[] {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"});
    }

    private static String scaled(long v, int base, String[] units) {
        double d = v;
        int i = 0;
        while (d >= base && i < units.length - 1) {
            d /= base;
            i++;
        }
        return fourDigits(d) + units[i];
    }

    /** Go's %.4g for 0 <= d < 10000: four significant digits, trailing zeros dropped. */
    static String fourDigits(double d) {
        if (d == 0) return "0";
        int intDigits = d < 1 ? 1 : (int) Math.floor(Math.log10(d)) + 1;
        int decimals = Math.max(0, 4 - intDigits);
        long scale = (long) Math.pow(10, decimals);
        long n = Math.round(d * scale);
        if (decimals > 0 && n >= 10_000) { // rounding carried into a new digit: 9.9995 -> 10.00
            decimals--;
            scale /= 10;
            n = Math.round(d * scale);
        }
        StringBuilder sb = new StringBuilder(Long.toString(n / scale));
        if (decimals > 0) {
            StringBuilder f = new StringBuilder(Long.toString(n % scale));
            while (f.length() < decimals) f.insert(0, '0');
            int end = f.length();
            while (end > 0 && f.charAt(end - 1) == '0') end--;
            if (end > 0) sb.append('.').append(f, 0, end);
        }
        return sb.toString();
    }
}
