/**
 * Advisory lock classes (first key of the two-int form, so they never collide with the
 * single-bigint locks other components take, e.g. the relay's leader lock).
 */
export const SCHEMA_LOCK_CLASS = 0x41_43_53_01; // creating/upgrading the event store schema
export const STREAM_LOCK_CLASS = 0x41_43_53_02; // one appender per stream at a time (key: hashtext(stream_id))
export const REBUILD_LOCK_CLASS = 0x41_43_53_03; // one rebuild per read model at a time (key: hashtext(shadow schema))
