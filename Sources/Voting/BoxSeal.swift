import Fluent
import Foundation
import SQLKit

/// What closing a secret ballot does so that nothing stored links a member to a paper.
///
/// While a ballot is open, a member's roll mark and their paper are written in one transaction
/// (one vote per member needs that), and the box is chained in the order papers arrived. Both
/// leave traces a database reader could join on: the transaction id of the rows (PostgreSQL
/// `xmin`), their physical order (`ctid`, SQLite `rowid`), the row ids and the chain order.
/// At close, inside the closing transaction, the box is written again in the order of its
/// receipt keys (random, unrelated to who voted) with a fresh chain, and the roll again in the
/// order of member ids: every row then carries the closing transaction's id, and every order
/// is one that says nothing about the voting. `scrub` then removes the old row versions.
enum BoxSeal {
    /// Rewrites box and roll of `ballot`; returns the new head of the chain.
    static func unlink(ballot id: Int, on db: Database) async throws -> String {
        let sql = db as! any SQLDatabase
        let papers = try await BoxEntry.query(on: db).filter(\.$ballotID == id).all()
            .sorted { $0.receiptHash < $1.receiptHash }
        let roll = try await RollEntry.query(on: db).filter(\.$ballotID == id).all().sorted { $0.voterID < $1.voterID }
        try await sql.raw("DELETE FROM voting_box WHERE ballot_id = \(bind: id)").run()
        try await sql.raw("DELETE FROM voting_roll WHERE ballot_id = \(bind: id)").run()
        var head = HashChain.genesis(ballot: id)
        for chunk in stride(from: 0, to: papers.count, by: 500) {
            var insert = sql.insert(into: "voting_box").columns("ballot_id", "seq", "choices", "receipt_hash", "commitment", "voter_id", "prev_hash", "entry_hash")
            for (offset, p) in papers[chunk..<min(chunk + 500, papers.count)].enumerated() {
                let e = BoxEntry()
                e.ballotID = id; e.seq = chunk + offset + 1; e.choices = p.choices; e.receiptHash = p.receiptHash
                e.commitment = p.commitment; e.voterID = nil; e.prevHash = head
                e.entryHash = HashChain.link(e)
                head = e.entryHash
                insert = insert.values(SQLBind(id), SQLBind(e.seq), SQLBind(e.choices), SQLBind(e.receiptHash), SQLBind(e.commitment),
                                       SQLBind(e.voterID), SQLBind(e.prevHash), SQLBind(e.entryHash))
            }
            try await insert.run()
        }
        for chunk in stride(from: 0, to: roll.count, by: 500) {
            var insert = sql.insert(into: "voting_roll").columns("ballot_id", "voter_id", "voted")
            for r in roll[chunk..<min(chunk + 500, roll.count)] { insert = insert.values(SQLBind(id), SQLBind(r.voterID), SQLBind(r.voted)) }
            try await insert.run()
        }
        try await sql.raw("UPDATE voting_ballots SET papers = \(bind: papers.count), head = \(bind: head) WHERE id = \(bind: id)").run()
        return head
    }

    /// Old row versions stay in the files after the rewrite: on PostgreSQL a plain VACUUM only
    /// marks their space free (the bytes, with their transaction ids, remain readable in the
    /// table files), so `VACUUM FULL` writes the three tables into new files and drops the old
    /// ones — the ballot row too, whose old versions hold the chain's head after each paper.
    /// It locks those tables for the moment it takes (small tables; closing is rare). SQLite,
    /// with `secure_delete`, has zeroed the rows in the file; the write-ahead log still holds
    /// page images in casting order until a checkpoint truncates it, which must wait for any
    /// reader — so it is retried, and a failure is logged rather than passed over.
    static func scrub(on db: Database, logger: Logger) async {
        let sql = db as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            for attempt in 0..<30 {
                let busy = (try? await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").first()?.decode(column: "busy", as: Int.self)) ?? 1
                if busy == 0 { return }
                try? await Task.sleep(for: .seconds(min(10, 1 + attempt)))
            }
            logger.error("closing a secret ballot: the write-ahead log could not be truncated (a reader held it); run PRAGMA wal_checkpoint(TRUNCATE) when it is free")
        } else {
            // VACUUM keeps every old version that some snapshot in the database might still see:
            // it removes a row deleted by the close only once every backend's snapshot horizon
            // (`backend_xmin`, and the own xid of a writing transaction) has passed the close.
            // A transaction that *started* after the close can still hold a horizon from before
            // it (its snapshot was taken while an older one ran), so waiting on start times is
            // not enough — seen under load, where old versions outlived the rewrite. So: take a
            // transaction id after the close, wait (up to 30 s) until no backend's horizon is
            // older, then rewrite. A check that cannot be made counts as "not yet". If a long
            // transaction (a report, a backup) outlives the wait, the files are rewritten now for
            // what can be dropped and again, in the background, once the horizon has passed.
            var mark: Int64?
            for _ in 0..<50 where mark == nil {
                mark = try? await sql.raw("SELECT txid_current() AS x").first()?.decode(column: "x", as: Int64.self)
                if mark == nil { try? await Task.sleep(for: .milliseconds(100)) }
            }
            let cleared = await waitForHorizon(past: mark, sql: sql, tries: 300)
            let rewritten = await vacuumFull(sql: sql, logger: logger)
            if !cleared || !rewritten {
                logger.warning("closing a secret ballot: a snapshot older than the close is still held; the table files are rewritten again when it is released")
                Task.detached {
                    // Up to an hour, every five seconds; the process may stop first (the next
                    // close, or `VACUUM FULL voting_box, voting_roll, voting_ballots` by hand, does it then).
                    for _ in 0..<720 {
                        if await waitForHorizon(past: mark, sql: sql, tries: 1), await vacuumFull(sql: sql, logger: logger) { return }
                        try? await Task.sleep(for: .seconds(5))
                    }
                    logger.error("closing a secret ballot: a snapshot older than the close was held for an hour; old row versions may remain until VACUUM FULL runs")
                }
            }
        }
    }

    /// Whether no backend of this database still holds a snapshot horizon (or a transaction id)
    /// older than `mark`, a transaction id taken after the close — exactly what lets VACUUM drop
    /// the close's old row versions. Checked up to `tries` times; an unknown mark or a failed
    /// check counts as "not yet". Client sessions count, and autovacuum workers analysing (an
    /// ANALYZE holds a snapshot VACUUM respects); a worker only vacuuming is ignored by VACUUM.
    static func waitForHorizon(past mark: Int64?, sql: any SQLDatabase, tries: Int,
                               pause: Duration = .milliseconds(100)) async -> Bool {
        guard let mark else { return false }
        // txid_current() counts epochs; backend_xmin is a plain 32-bit xid.
        let xid = String(mark % 4_294_967_296)
        for attempt in 0..<tries {
            let older = (try? await sql.raw("""
                SELECT count(*) AS n FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                  AND (backend_type = 'client backend' OR (backend_type = 'autovacuum worker' AND query ILIKE '%analyze%'))
                  AND (age(backend_xmin) > age(\(bind: xid)::xid) OR age(backend_xid) > age(\(bind: xid)::xid))
                """).first()?.decode(column: "n", as: Int.self)) ?? 1
            if older == 0 { return true }
            if attempt + 1 < tries { try? await Task.sleep(for: pause) }
        }
        return false
    }

    /// Rewrites the ballot tables into new files (retried: it needs a moment's exclusive lock).
    @discardableResult
    static func vacuumFull(sql: any SQLDatabase, logger: Logger) async -> Bool {
        var lastError: (any Error)?
        for attempt in 0..<5 {
            do { try await sql.raw("VACUUM FULL voting_box, voting_roll, voting_ballots").run(); return true } catch {
                lastError = error
                try? await Task.sleep(for: .milliseconds(200 * (attempt + 1)))
            }
        }
        logger.error("closing a secret ballot: VACUUM FULL failed (\(String(describing: lastError))); old row versions remain in the table files until it runs")
        return false
    }
}
