package dev.cutover.replication;

import dev.cutover.endpoint.Capability;
import dev.cutover.endpoint.CapabilityCheck;
import dev.cutover.endpoint.EndpointSummary;
import java.util.ArrayList;
import java.util.List;

/** The lines of the checklist that concern scan mode (SCAN + DUMP, following keyspace events). */
final class ScanPreflight {
    private ScanPreflight() {
    }

    static List<CheckItem> items(EndpointSummary source, EndpointSummary target) {
        List<CheckItem> items = new ArrayList<>();
        items.add((dumpRefused(source)
                ? CheckItem.warn("source DUMP", "the source refuses DUMP ("
                        + source.capability(Capability.DUMP_RESTORE).detail() + ")", "cutover reads each key with its"
                        + " type's commands instead (slower; consumers' idle times in streams start afresh)")
                : CheckItem.ok("source DUMP", "the source lets cutover SCAN and DUMP its keys")).only(CheckItem.Applies.SCAN));
        CapabilityCheck events = source.capability(Capability.KEYSPACE_NOTIFICATIONS);
        items.add((switch (events.status()) {
            case YES -> CheckItem.ok("keyspace events", events.detail().startsWith("on")
                    ? "the source publishes keyspace events (" + events.detail() + "); cutover adds K and A if missing"
                    : "the source's keyspace events are off; cutover turns them on (KA) and restores them at stop");
            case NO -> CheckItem.fail("keyspace events", "scan mode cannot see changes: keyspace events are "
                    + events.detail(), "ask for notify-keyspace-events KA on the source");
            case UNKNOWN -> CheckItem.warn("keyspace events", events.detail(), "replicate --mode scan will find out");
        }).only(CheckItem.Applies.SCAN));
        items.add(CheckItem.warn("flushes unseen", "FLUSHDB, FLUSHALL and SWAPDB on the source publish no keyspace"
                + " events, so scan mode cannot follow them", "do not run them during the migration; the verify that"
                + " repoint requires in scan mode would catch them").only(CheckItem.Applies.SCAN));
        return items;
    }

    static boolean dumpRefused(EndpointSummary source) {
        CapabilityCheck dump = source.capability(Capability.DUMP_RESTORE);
        return dump.status() == CapabilityCheck.Status.NO
                && dump.detail().toLowerCase(java.util.Locale.ROOT).contains("dump");
    }
}
