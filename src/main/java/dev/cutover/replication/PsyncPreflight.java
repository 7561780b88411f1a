package dev.cutover.replication;

import dev.cutover.endpoint.Capability;
import dev.cutover.endpoint.CapabilityCheck;
import dev.cutover.endpoint.EndpointSummary;
import dev.cutover.endpoint.VersionFacts;
import java.util.ArrayList;
import java.util.List;

/** The lines of the checklist that concern psync mode (cutover itself as the source's replica). */
final class PsyncPreflight {
    private PsyncPreflight() {
    }

    static List<CheckItem> items(EndpointSummary source, EndpointSummary target, boolean dropFieldTtl) {
        List<CheckItem> items = new ArrayList<>();
        CapabilityCheck psync = source.capability(Capability.PSYNC);
        items.add((switch (psync.status()) {
            case YES -> CheckItem.ok("source PSYNC", "the source lets cutover replicate it (" + psync.detail() + ")");
            case NO -> CheckItem.fail("source PSYNC", "the source refuses PSYNC: " + psync.detail(),
                    "grant +psync +replconf to the source user, or use scan mode");
            case UNKNOWN -> CheckItem.warn("source PSYNC", psync.detail(), "replicate --mode psync will find out");
        }).only(CheckItem.Applies.PSYNC));
        int sent = VersionFacts.rdbSentToPsync(source.info().version());
        CapabilityCheck restore = target.capability(Capability.DUMP_RESTORE);
        boolean loads = target.rdb().loads(sent, false);
        if (restore.status() == CapabilityCheck.Status.NO) {
            items.add(CheckItem.warn("psync writer", "the target refuses RESTORE (" + restore.detail() + ")",
                    "cutover writes every key with ordinary commands, which is slower").only(CheckItem.Applies.PSYNC));
        } else if (loads) {
            items.add(CheckItem.ok("psync writer", "the target loads RDB " + sent + " values: keys are copied with RESTORE"
                    + " as the source encoded them").only(CheckItem.Applies.PSYNC));
        } else {
            items.add(CheckItem.ok("psync writer", "the target cannot load RDB " + sent + " values (it loads "
                    + target.rdb().loadableText() + "): cutover decodes them and writes ordinary commands")
                    .only(CheckItem.Applies.PSYNC));
        }
        long fieldTtlKeys = source.info().totalSubexpiry();
        if (fieldTtlKeys > 0 && !VersionFacts.hasHashFieldTtl(target.info().version())) {
            String finding = "the source holds " + fieldTtlKeys + " key(s) with hash-field TTLs and the target ("
                    + target.info().version() + ") has no field TTLs";
            items.add((dropFieldTtl
                    ? CheckItem.warn("field TTLs", finding, "--drop-field-ttl: the fields move without their TTLs,"
                            + " and TTL commands in the stream are dropped (both counted and reported)")
                    : CheckItem.fail("field TTLs", finding, "move those hashes first, or accept --drop-field-ttl"
                            + " (the fields move, their TTLs do not)")).only(CheckItem.Applies.PSYNC));
        }
        return items;
    }
}
