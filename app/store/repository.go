package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"dealbooks/app/invoicing"

	"github.com/shopspring/decimal"
)

// Repository is the invoicing data of one account pair: one Pipedrive company and one QuickBooks
// company (realm). Every row it writes carries the pair's workspace id and every query it runs is
// limited to that id, so two pairs sharing the database never see each other's preferences, links,
// caches, outbox or drafts. It implements invoicing.Repository; a single record that does not exist is
// invoicing.ErrNotFound.
//
// How values are stored: money as exact decimal TEXT that keeps its scale ("100.00" reads back as
// 100.00, with two decimal places), calendar dates as 'YYYY-MM-DD', instants as UTC RFC 3339 text with
// nine fraction digits (so text order is time order, and a time reads back equal to the one written, in
// UTC). Preferences, the company, drafts and outbox drafts are stored as encoding/json writes them;
// decimals inside them keep their value but not trailing zeros ("100.00" reads back as 100).
type Repository struct {
	db          *sql.DB
	workspaceID int64
}

var _ invoicing.Repository = (*Repository)(nil)

// Repository returns the repository of the account pair made of the Pipedrive company id and the
// QuickBooks realm id, recording the pair the first time it is seen. Both ids must be non-empty. The
// repository uses the Store's connection and may be used until the Store is closed.
func (s *Store) Repository(ctx context.Context, pipedriveCompany, quickbooksRealm string) (*Repository, error) {
	if pipedriveCompany == "" || quickbooksRealm == "" {
		return nil, errors.New("store: a workspace needs both a Pipedrive company id and a QuickBooks realm id")
	}
	var id int64
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO workspaces (pipedrive_company, quickbooks_realm) VALUES (?, ?)
		ON CONFLICT (pipedrive_company, quickbooks_realm) DO UPDATE SET id = id
		RETURNING id`, pipedriveCompany, quickbooksRealm).Scan(&id)
	if err != nil {
		return nil, fmt.Errorf("store: open workspace: %w", err)
	}
	return &Repository{db: s.db, workspaceID: id}, nil
}

// timeLayout is RFC 3339 with a fixed nine-digit fraction; applied to UTC times it always ends in "Z",
// so stored times sort as text in time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

func formatTime(t time.Time) string {
	return t.UTC().Format(timeLayout)
}

// formatDecimal writes d exactly, keeping its decimal places: 100.00 is "100.00", not "100".
func formatDecimal(d decimal.Decimal) string {
	if d.Exponent() >= 0 {
		return d.String()
	}
	return d.StringFixed(-d.Exponent())
}

// fields decodes a row's stored text columns, keeping the first error, so decoding a row reads as a
// list of its columns.
type fields struct {
	err error
}

// time decodes a stored time. Stored times are RFC 3339, which time.Parse reads fastest when told
// RFC3339Nano (any number of fraction digits).
func (f *fields) time(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil && f.err == nil {
		f.err = fmt.Errorf("stored time %q: %w", s, err)
	}
	return t
}

func (f *fields) decimal(s string) decimal.Decimal {
	d, err := decimal.NewFromString(s)
	if err != nil && f.err == nil {
		f.err = fmt.Errorf("stored amount %q: %w", s, err)
	}
	return d
}

// date decodes a stored YYYY-MM-DD; empty text is the zero Date (no date).
func (f *fields) date(s string) invoicing.Date {
	if s == "" {
		return invoicing.Date{}
	}
	d, err := invoicing.ParseDate(s)
	if err != nil && f.err == nil {
		f.err = fmt.Errorf("stored date: %w", err)
	}
	return d
}

// notFound turns sql.ErrNoRows into invoicing.ErrNotFound, wrapped with what was looked for.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: %s: %w", what, invoicing.ErrNotFound)
	}
	return fmt.Errorf("store: read %s: %w", what, err)
}

// inTx runs fn in one transaction and commits it if fn succeeds; otherwise nothing fn did is kept.
func (r *Repository) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // a no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
