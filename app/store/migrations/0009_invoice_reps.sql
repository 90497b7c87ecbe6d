-- Who did what, for a team of reps (issue 14): the Pipedrive user who created the invoice in Dealbooks (the
-- name the marker's user id had when the invoice was first cached here), and the last action a rep took on
-- it in Dealbooks ('sent', 'voided', 'deleted' or '') with that rep's name. Invoices cached before this
-- version read '' until a refresh or an action names them.
ALTER TABLE invoices ADD COLUMN created_by     TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN changed_action TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN changed_by     TEXT NOT NULL DEFAULT '';
