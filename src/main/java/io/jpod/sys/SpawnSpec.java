package io.jpod.sys;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to spawn. {@code fds} maps a target fd number in the child to an fd of ours (conmon wants its sync
 * pipe on 3 and start pipe on 4); every other inherited fd is closed. Null stdio means /dev/null.
 */
public record SpawnSpec(List<String> argv, List<String> env, String cwd, Map<Integer, Integer> fds,
                        boolean newProcessGroup) {
    public SpawnSpec {
        Objects.requireNonNull(argv, "argv");
        if (argv.isEmpty()) throw new IllegalArgumentException("argv must name a program");
        argv = List.copyOf(argv);
        env = List.copyOf(env);
        fds = Map.copyOf(fds);
        for (int target : fds.keySet()) {
            if (target < 0) throw new IllegalArgumentException("negative target fd " + target);
        }
    }
}
