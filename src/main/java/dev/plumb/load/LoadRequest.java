package dev.plumb.load;

import dev.plumb.modules.ModuleRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What to load.
 *
 * @param playbook the playbook file
 * @param inventory the inventory (YAML, INI or a directory); empty means the implicit localhost
 * @param extraVars {@code -e key=value} pairs, highest precedence
 * @param limit a host pattern narrowing the hosts ({@code -l}); empty for all
 * @param tags only resources with one of these tags (empty: all)
 * @param modules built-in modules; YAML modules from {@code modules/} next to the playbook's
 *     project are added by the loader
 */
public record LoadRequest(
    Path playbook,
    Optional<Path> inventory,
    List<String> extraVars,
    Optional<String> limit,
    Set<String> tags,
    ModuleRegistry modules) {}
