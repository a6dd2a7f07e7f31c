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
            // VACUUM keeps every old version some running transaction might still see — any
            // transaction in the database that began before the close. Wait (up to 30 s) until
            // all of those have ended, so the rewrite leaves none behind. A check that cannot be
            // made (a busy pool under load) counts as "still running", never as "none". If one
            // outlives the wait (a long report, a backup), the rewrite is done now for what it
            // can drop and again, in the background, once the last such transaction has ended.
            var closed: Date?
            for _ in 0..<50 where closed == nil {
                closed = try? await sql.raw("SELECT clock_timestamp() AS t").first()?.decode(column: "t", as: Date.self)
                if closed == nil { try? await Task.sleep(for: .milliseconds(100)) }
            }
            let cleared = await waitForOlderTransactions(than: closed, sql: sql, tries: 300)
            await vacuumFull(sql: sql, logger: logger)
            if !cleared {
                logger.warning("closing a secret ballot: a transaction older than the close is still running; the table files are rewritten again when it ends")
                Task.detached {
                    // Up to an hour, every five seconds; the process may stop first (the next
                    // close, or `VACUUM FULL voting_box, voting_roll, voting_ballots` by hand, does it then).
                    if await waitForOlderTransactions(than: closed, sql: sql, tries: 720, pause: .seconds(5)) {
                        await vacuumFull(sql: sql, logger: logger)
                    } else {
                        logger.error("closing a secret ballot: a transaction older than the close ran for an hour; old row versions may remain until VACUUM FULL runs")
                    }
                }
            }
        }
    }

    /// Whether every transaction in the database that began before `closed` has ended, checked
    /// up to `tries` times; an unknown start or a failed check counts as "not yet". Only client
    /// sessions count: autovacuum workers (whose snapshots VACUUM ignores anyway) can run for
    /// minutes on catalogs that churn, and waiting on them would only delay the rewrite.
    static func waitForOlderTransactions(than closed: Date?, sql: any SQLDatabase, tries: Int,
                                         pause: Duration = .milliseconds(100)) async -> Bool {
        guard let closed else { return false }
        for _ in 0..<tries {
            let older = (try? await sql.raw("""
                SELECT count(*) AS n FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                  AND xact_start < \(bind: closed)
                """).first()?.decode(column: "n", as: Int.self)) ?? 1
            if older == 0 { return true }
            try? await Task.sleep(for: pause)
        }
        return false
    }

    /// Rewrites the ballot tables into new files (retried: it needs a moment's exclusive lock).
    static func vacuumFull(sql: any SQLDatabase, logger: Logger) async {
        var lastError: (any Error)?
        for attempt in 0..<5 {
            do { try await sql.raw("VACUUM FULL voting_box, voting_roll, voting_ballots").run(); return } catch {
                lastError = error
                try? await Task.sleep(for: .milliseconds(200 * (attempt + 1)))
            }
        }
        logger.error("closing a secret ballot: VACUUM FULL failed (\(String(describing: lastError))); old row versions remain in the table files until it runs")
    }
}
