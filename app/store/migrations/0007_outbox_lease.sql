-- Who is working on an outbox entry, so two Dealbooks processes (the window and a command, say) never run
-- the same step twice. An entry is leased to one process (its random owner token) until lease_until (UTC
-- RFC 3339 text, which sorts as time); a lease past its time belongs to a process that crashed or stalled,
-- and any process may take it over. '' in both: nobody holds it.
ALTER TABLE outbox ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN lease_until TEXT NOT NULL DEFAULT '';
