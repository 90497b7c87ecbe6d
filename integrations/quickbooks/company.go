package quickbooks

import (
	"context"
	"errors"
	"net/url"
)

// CompanyInfo reads the company's name, country and addresses.
func (c *Client) CompanyInfo(ctx context.Context) (*CompanyInfo, error) {
	var env struct{ CompanyInfo *CompanyInfo }
	if err := c.get(ctx, "/companyinfo/"+url.PathEscape(c.cfg.RealmID), nil, &env); err != nil {
		return nil, err
	}
	if env.CompanyInfo == nil {
		return nil, errors.New("quickbooks: answer has no CompanyInfo")
	}
	return env.CompanyInfo, nil
}

// Preferences reads the company's settings (currency, numbering, tax).
func (c *Client) Preferences(ctx context.Context) (*Preferences, error) {
	var env struct{ Preferences *Preferences }
	if err := c.get(ctx, "/preferences", nil, &env); err != nil {
		return nil, err
	}
	if env.Preferences == nil {
		return nil, errors.New("quickbooks: answer has no Preferences")
	}
	return env.Preferences, nil
}

// Items lists every item (products and services).
func (c *Client) Items(ctx context.Context) ([]Item, error) {
	return queryAll[Item](ctx, c, Select("Item"))
}

// ItemByName returns the item with exactly this name, or nil if none.
func (c *Client) ItemByName(ctx context.Context, name string) (*Item, error) {
	var items []Item
	if err := c.Query(ctx, Select("Item").Eq("Name", name), &items); err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, nil
	}
	return &items[0], nil
}

// TaxCodes lists every tax code.
func (c *Client) TaxCodes(ctx context.Context) ([]TaxCode, error) {
	return queryAll[TaxCode](ctx, c, Select("TaxCode"))
}

// TaxRates lists every tax rate.
func (c *Client) TaxRates(ctx context.Context) ([]TaxRate, error) {
	return queryAll[TaxRate](ctx, c, Select("TaxRate"))
}

// Terms lists every payment term.
func (c *Client) Terms(ctx context.Context) ([]Term, error) {
	return queryAll[Term](ctx, c, Select("Term"))
}
