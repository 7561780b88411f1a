/**
 * RESP on plain sockets, for the places a general client cannot serve: the replication link
 * (the RDB and the command stream arrive on one connection, and every byte counts toward the
 * offset) and the pipelined writer that applies them to the target.
 */
package dev.cutover.resp;
