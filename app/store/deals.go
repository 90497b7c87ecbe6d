package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"dealbooks/app/invoicing"
)

// UpsertDeals adds the deals or replaces them by id, all in one transaction.
func (r *Repository) UpsertDeals(ctx context.Context, deals []invoicing.Deal) error {
	err := r.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `
			INSERT OR REPLACE INTO deals (workspace_id, id, title, value, currency, status, owner_id,
				org_id, org_name, person_id, person_name, updated_at, search)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, d := range deals {
			_, err := stmt.ExecContext(ctx, r.workspaceID, d.ID, d.Title, formatDecimal(d.Value), d.Currency,
				string(d.Status), d.OwnerID, d.OrgID, d.OrgName, d.PersonID, d.PersonName,
				formatTime(d.UpdatedAt), dealSearchText(d))
			if err != nil {
				return fmt.Errorf("deal %d: %w", d.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save deals: %w", err)
	}
	return nil
}

// dealSearchText is what DealQuery.Text is looked for in: the title, organization and person name,
// lower-cased the way the query text is. The newlines keep a match from spanning two names.
func dealSearchText(d invoicing.Deal) string {
	return strings.ToLower(d.Title + "\n" + d.OrgName + "\n" + d.PersonName)
}

// Deals returns the cached deals matching q: open and won deals before lost and deleted ones, then the
// most recently updated first, then by id.
func (r *Repository) Deals(ctx context.Context, q invoicing.DealQuery) ([]invoicing.Deal, error) {
	var query strings.Builder
	query.WriteString(`SELECT id, title, value, currency, status, owner_id, org_id, org_name, person_id,
		person_name, updated_at FROM deals WHERE workspace_id = ?`)
	args := []any{r.workspaceID}
	if len(q.Statuses) > 0 {
		query.WriteString(" AND status IN (?" + strings.Repeat(", ?", len(q.Statuses)-1) + ")")
		for _, s := range q.Statuses {
			args = append(args, string(s))
		}
	}
	if q.OwnerID != 0 {
		query.WriteString(" AND owner_id = ?")
		args = append(args, q.OwnerID)
	}
	if text := strings.ToLower(strings.TrimSpace(q.Text)); text != "" {
		query.WriteString(" AND instr(search, ?) > 0")
		args = append(args, text)
	}
	query.WriteString(" ORDER BY rank, updated_at DESC, id")
	if q.Limit > 0 {
		query.WriteString(" LIMIT ?")
		args = append(args, q.Limit)
	}

	rows, err := r.db.QueryContext(ctx, query.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("store: read deals: %w", err)
	}
	defer rows.Close()
	var deals []invoicing.Deal
	for rows.Next() {
		var d invoicing.Deal
		var value, status, updated string
		err := rows.Scan(&d.ID, &d.Title, &value, &d.Currency, &status, &d.OwnerID, &d.OrgID, &d.OrgName,
			&d.PersonID, &d.PersonName, &updated)
		if err != nil {
			return nil, fmt.Errorf("store: read deals: %w", err)
		}
		var f fields
		d.Status = invoicing.DealStatus(status)
		d.Value = f.decimal(value)
		d.UpdatedAt = f.time(updated)
		if f.err != nil {
			return nil, fmt.Errorf("store: read deal %d: %w", d.ID, f.err)
		}
		deals = append(deals, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read deals: %w", err)
	}
	return deals, nil
}
