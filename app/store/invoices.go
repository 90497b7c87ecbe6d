package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"dealbooks/app/invoicing"
)

// stateNames are the stored names of the invoice states, so the column reads plainly and does not
// depend on the order of the State constants.
var stateNames = map[invoicing.State]string{
	invoicing.Open:          "open",
	invoicing.PartiallyPaid: "partially-paid",
	invoicing.Paid:          "paid",
	invoicing.Voided:        "voided",
	invoicing.Queued:        "queued",
	invoicing.Deleted:       "deleted",
}

func stateName(s invoicing.State) (string, error) {
	name, ok := stateNames[s]
	if !ok {
		return "", fmt.Errorf("unknown invoice state %d", int(s))
	}
	return name, nil
}

func parseState(name string) (invoicing.State, error) {
	for s, n := range stateNames {
		if n == name {
			return s, nil
		}
	}
	return 0, fmt.Errorf("stored invoice state %q is unknown", name)
}

// UpsertInvoices adds the invoices or replaces them by Invoice.ID, all in one transaction.
func (r *Repository) UpsertInvoices(ctx context.Context, invs []invoicing.CachedInvoice) error {
	err := r.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `
			INSERT OR REPLACE INTO invoices (workspace_id, id, deal_id, sync_token, doc_number, customer_id,
				customer_name, currency, issue_date, due_date, total, balance, private_note, email_status,
				bill_email, deleted, updated_at, status_state, status_overdue, status_sent, note_id, fetched_at,
				tax, discount, deposit, home_total, exchange_rate, created_by, changed_action, changed_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, ci := range invs {
			inv := ci.Invoice
			state, err := stateName(ci.Status.State)
			if err != nil {
				return fmt.Errorf("invoice %s: %w", inv.ID, err)
			}
			_, err = stmt.ExecContext(ctx, r.workspaceID, inv.ID, ci.DealID, inv.SyncToken, inv.DocNumber,
				inv.CustomerID, inv.CustomerName, inv.Currency, inv.IssueDate.String(), inv.DueDate.String(),
				formatDecimal(inv.Total), formatDecimal(inv.Balance), inv.PrivateNote, inv.EmailStatus,
				inv.BillEmail, inv.Deleted, formatTime(inv.UpdatedAt), state, ci.Status.Overdue,
				ci.Status.Sent, ci.NoteID, formatTime(ci.FetchedAt), formatDecimal(inv.Tax), formatDecimal(inv.Discount),
				formatDecimal(inv.Deposit), formatDecimal(inv.HomeTotal), formatDecimal(inv.ExchangeRate),
				ci.CreatedBy, string(ci.LastChange.Action), ci.LastChange.By)
			if err != nil {
				return fmt.Errorf("invoice %s: %w", inv.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save invoices: %w", err)
	}
	return nil
}

const invoiceColumns = `id, deal_id, sync_token, doc_number, customer_id, customer_name, currency, issue_date,
	due_date, total, balance, private_note, email_status, bill_email, deleted, updated_at, status_state,
	status_overdue, status_sent, note_id, fetched_at, tax, discount, deposit, home_total, exchange_rate,
	created_by, changed_action, changed_by`

// Invoices returns the deal's invoices, or every invoice for dealID 0: the newest issue date first,
// then by id.
func (r *Repository) Invoices(ctx context.Context, dealID int64) ([]invoicing.CachedInvoice, error) {
	where, args := "workspace_id = ?", []any{r.workspaceID}
	if dealID != 0 {
		where, args = where+" AND deal_id = ?", append(args, dealID)
	}
	// Counted first, for the slice's capacity only: the invoices are large, and growing the slice row by row
	// would copy them over and over.
	var n int
	if err := r.db.QueryRowContext(ctx, "SELECT count(*) FROM invoices WHERE "+where, args...).Scan(&n); err != nil {
		return nil, fmt.Errorf("store: count invoices: %w", err)
	}
	rows, err := r.db.QueryContext(ctx, "SELECT "+invoiceColumns+" FROM invoices WHERE "+where+" ORDER BY issue_date DESC, id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: read invoices: %w", err)
	}
	defer rows.Close()
	invs := make([]invoicing.CachedInvoice, 0, n)
	row := newInvoiceRow()
	for rows.Next() {
		ci, err := row.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: read invoices: %w", err)
		}
		invs = append(invs, ci)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read invoices: %w", err)
	}
	return invs, nil
}

// Invoice returns one cached invoice by its QuickBooks id, or invoicing.ErrNotFound.
func (r *Repository) Invoice(ctx context.Context, id string) (invoicing.CachedInvoice, error) {
	row := r.db.QueryRowContext(ctx, "SELECT "+invoiceColumns+" FROM invoices WHERE workspace_id = ? AND id = ?",
		r.workspaceID, id)
	ci, err := newInvoiceRow().scan(row)
	if err != nil {
		return invoicing.CachedInvoice{}, notFound(err, "invoice "+id)
	}
	return ci, nil
}

// scanner is what *sql.Row and *sql.Rows have in common.
type scanner interface {
	Scan(dest ...any) error
}

// invoiceRow is what a row of invoices is scanned into. Invoices scans every row into the same one, so
// Scan's destinations are allocated once per query instead of once per row.
type invoiceRow struct {
	ci                                                  invoicing.CachedInvoice
	issue, due, total, balance, updated, state, fetched string
	tax, discount, deposit, homeTotal, exchangeRate     string
	changedAction                                       string
	dest                                                []any
}

func newInvoiceRow() *invoiceRow {
	r := &invoiceRow{}
	ci, inv := &r.ci, &r.ci.Invoice
	r.dest = []any{&inv.ID, &ci.DealID, &inv.SyncToken, &inv.DocNumber, &inv.CustomerID, &inv.CustomerName,
		&inv.Currency, &r.issue, &r.due, &r.total, &r.balance, &inv.PrivateNote, &inv.EmailStatus, &inv.BillEmail,
		&inv.Deleted, &r.updated, &r.state, &ci.Status.Overdue, &ci.Status.Sent, &ci.NoteID, &r.fetched,
		&r.tax, &r.discount, &r.deposit, &r.homeTotal, &r.exchangeRate, &ci.CreatedBy, &r.changedAction,
		&ci.LastChange.By}
	return r
}

// scan reads one row of invoiceColumns. Every field of the invoice it returns is set from the row.
func (r *invoiceRow) scan(row scanner) (invoicing.CachedInvoice, error) {
	if err := row.Scan(r.dest...); err != nil {
		return invoicing.CachedInvoice{}, err
	}
	ci := r.ci
	var f fields
	ci.Invoice.IssueDate = f.date(r.issue)
	ci.Invoice.DueDate = f.date(r.due)
	ci.Invoice.Total = f.decimal(r.total)
	ci.Invoice.Balance = f.decimal(r.balance)
	ci.Invoice.Tax = f.decimal(r.tax)
	ci.Invoice.Discount = f.decimal(r.discount)
	ci.Invoice.Deposit = f.decimal(r.deposit)
	ci.Invoice.HomeTotal = f.decimal(r.homeTotal)
	ci.Invoice.ExchangeRate = f.decimal(r.exchangeRate)
	ci.Invoice.UpdatedAt = f.time(r.updated)
	ci.FetchedAt = f.time(r.fetched)
	state, err := parseState(r.state)
	if err = errors.Join(f.err, err); err != nil {
		return invoicing.CachedInvoice{}, fmt.Errorf("invoice %s: %w", ci.Invoice.ID, err)
	}
	ci.Status.State = state
	ci.LastChange.Action = invoicing.ChangeAction(r.changedAction)
	return ci, nil
}
