package store

import (
	"context"
	"fmt"

	"dealbooks/app/invoicing"
)

// CustomerLinks returns the party's links, one per currency, ordered by currency.
func (r *Repository) CustomerLinks(ctx context.Context, party invoicing.PartyRef) ([]invoicing.CustomerLink, error) {
	rows, err := r.db.QueryContext(ctx, `
		SELECT currency, customer_id, display_name FROM customer_links
		WHERE workspace_id = ? AND party_entity = ? AND party_id = ?
		ORDER BY currency`, r.workspaceID, string(party.Entity), party.ID)
	if err != nil {
		return nil, fmt.Errorf("store: read customer links: %w", err)
	}
	defer rows.Close()
	var links []invoicing.CustomerLink
	for rows.Next() {
		l := invoicing.CustomerLink{Party: party}
		if err := rows.Scan(&l.Currency, &l.CustomerID, &l.DisplayName); err != nil {
			return nil, fmt.Errorf("store: read customer links: %w", err)
		}
		links = append(links, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read customer links: %w", err)
	}
	return links, nil
}

// SaveCustomerLink adds the link, or replaces the one of the same party and currency.
func (r *Repository) SaveCustomerLink(ctx context.Context, l invoicing.CustomerLink) error {
	_, err := r.db.ExecContext(ctx, `
		INSERT OR REPLACE INTO customer_links (workspace_id, party_entity, party_id, currency, customer_id, display_name)
		VALUES (?, ?, ?, ?, ?, ?)`,
		r.workspaceID, string(l.Party.Entity), l.Party.ID, l.Currency, l.CustomerID, l.DisplayName)
	if err != nil {
		return fmt.Errorf("store: save customer link: %w", err)
	}
	return nil
}

// DeleteCustomerLink removes the link of party and currency; removing a missing link is not an error.
func (r *Repository) DeleteCustomerLink(ctx context.Context, party invoicing.PartyRef, currency string) error {
	_, err := r.db.ExecContext(ctx, `
		DELETE FROM customer_links WHERE workspace_id = ? AND party_entity = ? AND party_id = ? AND currency = ?`,
		r.workspaceID, string(party.Entity), party.ID, currency)
	if err != nil {
		return fmt.Errorf("store: delete customer link: %w", err)
	}
	return nil
}

// ItemLinks returns every product's item: Pipedrive product id → QuickBooks item id.
func (r *Repository) ItemLinks(ctx context.Context) (map[int64]string, error) {
	rows, err := r.db.QueryContext(ctx, "SELECT product_id, item_id FROM item_links WHERE workspace_id = ?", r.workspaceID)
	if err != nil {
		return nil, fmt.Errorf("store: read item links: %w", err)
	}
	defer rows.Close()
	links := make(map[int64]string)
	for rows.Next() {
		var product int64
		var item string
		if err := rows.Scan(&product, &item); err != nil {
			return nil, fmt.Errorf("store: read item links: %w", err)
		}
		links[product] = item
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read item links: %w", err)
	}
	return links, nil
}

// SaveItemLink adds the product's item, or replaces the one it had.
func (r *Repository) SaveItemLink(ctx context.Context, productID int64, itemID string) error {
	_, err := r.db.ExecContext(ctx,
		"INSERT OR REPLACE INTO item_links (workspace_id, product_id, item_id) VALUES (?, ?, ?)",
		r.workspaceID, productID, itemID)
	if err != nil {
		return fmt.Errorf("store: save item link: %w", err)
	}
	return nil
}
