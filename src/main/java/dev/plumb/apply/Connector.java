package dev.plumb.apply;

import dev.plumb.inventory.Host;
import dev.plumb.transport.Connection;
import dev.plumb.transport.TransportException;

/** Opens a connection to a host (local or SSH, per its variables). */
@FunctionalInterface
public interface Connector {
  Connection open(Host host) throws TransportException;
}
