package io.gomq.launcher.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this process was confined to some of the machine's cores (taskset, a cgroup cpuset):
 * then its cores are its own and an event loop may poll on them instead of sleeping. Read once
 * at start-up, from Linux's /proc; elsewhere, or when unreadable: not confined.
 */
final class CoreAffinity {
    private CoreAffinity() {
    }

    static boolean confined() {
        try {
            String online = Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return count(line.substring(line.indexOf(':') + 1)) < count(online);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or a kernel that says it differently: assume the cores are shared
        }
        return false;
    }

    /** How many CPUs a Linux list such as "0-3,8,10-11" names. */
    static int count(String list) {
        int n = 0;
        for (String part : list.trim().split(",")) {
            int dash = part.indexOf('-');
            n += dash < 0 ? 1 : Integer.parseInt(part.substring(dash + 1).trim()) - Integer.parseInt(part.substring(0, dash).trim()) + 1;
        }
        return n;
    }
}
