package dev.cutover.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerInfoTest {

    static final String REDIS_70 = """
            # Server
            redis_version:7.0.15
            redis_git_sha1:00000000
            redis_git_dirty:0
            redis_build_id:5e7a7ad6e2c44e3e
            redis_mode:standalone
            os:Linux 6.8.0-45-generic x86_64
            arch_bits:64
            multiplexing_api:epoll
            process_id:4211
            run_id:6a0c1f3b7e1d2d9e4c0f8a1b2c3d4e5f6a7b8c9d
            tcp_port:6379
            uptime_in_seconds:86400
            executable:/usr/local/bin/redis-server
            config_file:/etc/redis/redis.conf

            # Clients
            connected_clients:3
            blocked_clients:0

            # Memory
            used_memory:1048576
            used_memory_human:1.00M
            used_memory_peak:2097152
            maxmemory:4294967296
            maxmemory_human:4.00G
            maxmemory_policy:allkeys-lru
            mem_fragmentation_ratio:1.23

            # Persistence
            loading:0
            rdb_changes_since_last_save:12
            rdb_last_bgsave_status:ok
            aof_enabled:1
            aof_rewrite_in_progress:0

            # Replication
            role:master
            connected_slaves:1
            slave0:ip=10.0.0.2,port=6379,state=online,offset=123456,lag=0
            master_failover_state:no-failover
            master_replid:8b1e0f4c2a7d3e5f6a9b0c1d2e3f4a5b6c7d8e9f
            master_replid2:0000000000000000000000000000000000000000
            master_repl_offset:123456
            repl_backlog_active:1

            # Modules
            module:name=search,ver=20812,api=1,filters=0,usedby=[],using=[],options=[handle-io-errors]
            module:name=ReJSON,ver=20606,api=1,filters=0,usedby=[search],using=[],options=[handle-io-errors]

            # Keyspace
            db0:keys=10,expires=2,avg_ttl=0
            db3:keys=1,expires=0,avg_ttl=0
            """.replace("\n", "\r\n");

    static final String VALKEY_91 = """
            # Server
            redis_version:7.2.4
            server_name:valkey
            valkey_version:9.1.2
            valkey_release_stage:ga
            redis_git_sha1:00000000
            redis_git_dirty:0
            server_mode:standalone
            os:Linux 6.8.0-45-generic x86_64
            arch_bits:64
            process_id:99
            tcp_port:6380

            # Memory
            used_memory:5242880
            maxmemory:0
            maxmemory_policy:noeviction

            # Persistence
            loading:0
            aof_enabled:0

            # Replication
            role:slave
            master_host:10.0.0.1
            master_port:6379
            master_link_status:up
            slave_repl_offset:777
            master_repl_offset:777

            # Keyspace
            db0:keys=10,expires=2,avg_ttl=0
            db3:keys=1,expires=0,avg_ttl=0,subexpiry=1
            """;

    @Test
    void redis70() {
        ServerInfo info = ServerInfo.parse(REDIS_70);
        assertEquals(new ServerVersion(ServerKind.REDIS, 7, 0, 15), info.version());
        assertEquals("Redis 7.0.15", info.version().toString());
        assertEquals("primary", info.role());
        assertEquals(1_048_576L, info.usedMemory());
        assertEquals(4_294_967_296L, info.maxMemory());
        assertEquals("allkeys-lru", info.evictionPolicy());
        assertTrue(info.aofEnabled());
        assertEquals(123_456L, info.replicationOffset());
        assertEquals(List.of("search", "ReJSON"), info.modules());
        assertEquals(List.of(0, 3), List.copyOf(info.keyspace().keySet()));
        assertEquals(new DbStats(0, 10, 2, 0), info.keyspace().get(0));
        assertEquals(new DbStats(3, 1, 0, 0), info.keyspace().get(3));
        assertEquals(11, info.totalKeys());
        assertEquals(0, info.totalSubexpiry());
        assertEquals("standalone", info.raw().get("redis_mode"));
        assertEquals("ip=10.0.0.2,port=6379,state=online,offset=123456,lag=0", info.raw().get("slave0"));
        assertEquals("Linux 6.8.0-45-generic x86_64", info.raw().get("os"));
    }

    @Test
    void valkey91() {
        ServerInfo info = ServerInfo.parse(VALKEY_91);
        assertEquals(new ServerVersion(ServerKind.VALKEY, 9, 1, 2), info.version());
        assertTrue(info.version().isValkey());
        assertEquals("replica", info.role());
        assertEquals(5_242_880L, info.usedMemory());
        assertEquals(0, info.maxMemory());
        assertEquals("noeviction", info.evictionPolicy());
        assertFalse(info.aofEnabled());
        assertEquals(777, info.replicationOffset());
        assertEquals(List.of(), info.modules());
        assertEquals(new DbStats(0, 10, 2, 0), info.keyspace().get(0));
        assertEquals(new DbStats(3, 1, 0, 1), info.keyspace().get(3));
        assertEquals(2, info.keyspace().size());
        assertEquals(11, info.totalKeys());
        assertEquals(1, info.totalSubexpiry());
        assertEquals("7.2.4", info.raw().get("redis_version"));
    }

    @Test
    void valkeyVersionAloneMeansValkey() {
        ServerInfo info = ServerInfo.parse("redis_version:7.2.4\nvalkey_version:8.0.1\n");
        assertEquals(new ServerVersion(ServerKind.VALKEY, 8, 0, 1), info.version());
    }

    @Test
    void valkeyServerNameWithoutValkeyVersionFallsBackToRedisVersion() {
        ServerInfo info = ServerInfo.parse("redis_version:7.2.5\nserver_name:valkey\n");
        assertEquals(new ServerVersion(ServerKind.VALKEY, 7, 2, 5), info.version());
    }

    @Test
    void replicaRoleAndDefaults() {
        assertEquals("replica", ServerInfo.parse("redis_version:8.0.2\r\nrole:replica\r\n").role());
        ServerInfo bare = ServerInfo.parse("");
        assertEquals(new ServerVersion(ServerKind.REDIS, 0, 0, 0), bare.version());
        assertEquals("primary", bare.role());
        assertEquals("unknown", bare.evictionPolicy());
        assertFalse(bare.aofEnabled());
        assertEquals(0, bare.usedMemory());
        assertEquals(0, bare.totalKeys());
        assertTrue(bare.keyspace().isEmpty());
    }

    @Test
    void unparseableNumbersBecomeZero() {
        ServerInfo info = ServerInfo.parse("redis_version:7.0.0\nused_memory:lots\ndb1:keys=x,expires=1\n");
        assertEquals(0, info.usedMemory());
        assertEquals(new DbStats(1, 0, 1, 0), info.keyspace().get(1));
    }

    @Test
    void parseFieldsSkipsHeadersBlanksAndKeepsModuleOrder() {
        Map<String, String> f = ServerInfo.parseFields(
                "# Server\r\nredis_version:7.0.15\r\n\r\nno colon here\r\n:empty key\r\n"
                        + "module:name=a,ver=1\r\nmodule:name=b,ver=2\r\nkey: spaced value \r\n");
        assertEquals(List.of("redis_version", "module:0", "module:1", "key"), List.copyOf(f.keySet()));
        assertEquals("7.0.15", f.get("redis_version"));
        assertEquals("name=a,ver=1", f.get("module:0"));
        assertEquals("name=b,ver=2", f.get("module:1"));
        assertEquals("spaced value", f.get("key"));
    }

    @Test
    void valkey9CountsKeysWithFieldTtlsUnderItsOwnName() {
        ServerInfo info = ServerInfo.parse("# Server\r\nserver_name:valkey\r\nvalkey_version:9.1.2\r\nredis_version:7.2.4\r\n"
                + "# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0,keys_with_volatile_items=1\r\n"
                + "db2:keys=5,expires=0,avg_ttl=0,keys_with_volatile_items=2\r\n");
        assertEquals(3, info.totalSubexpiry());
    }
}
