/**
 * A streaming reader for RDB files and replication snapshots (Redis RDB 1 to 13, Valkey's
 * {@code VALKEY080}): {@link dev.cutover.rdb.RdbReader} walks the file once with bounded memory
 * and hands each key to an {@link dev.cutover.rdb.RdbVisitor}, in parts when it is large, with
 * the {@code DUMP} payload that rebuilds it through {@code RESTORE} where it is small enough;
 * {@link dev.cutover.rdb.EntryCommands} turns the same entries into ordinary commands for
 * targets that cannot load that payload.
 */
package dev.cutover.rdb;
