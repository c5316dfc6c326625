//! Cron cleanup, the audit log reader, and database maintenance.
