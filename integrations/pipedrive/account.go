package pipedrive

import (
	"context"
)

// User is a user of the company. From GET /v1/users/me (the authorized user) it also names their company;
// from GET /v1/users the company fields are empty.
type User struct {
	ID              int64  `json:"id"`
	Name            string `json:"name"`
	Email           string `json:"email"`
	Active          bool   `json:"active_flag"`
	IsDeleted       bool   `json:"is_deleted"`
	DefaultCurrency string `json:"default_currency"`
	Locale          string `json:"locale"`
	TimezoneName    string `json:"timezone_name"`
	CompanyID       int64  `json:"company_id"`
	CompanyName     string `json:"company_name"`
	CompanyDomain   string `json:"company_domain"` // subdomain of https://{domain}.pipedrive.com
	CompanyCountry  string `json:"company_country"`
}

// Me fetches the user the token belongs to and their company.
func (c *Client) Me(ctx context.Context) (User, error) {
	var u User
	err := c.get(ctx, "/api/v1/users/me", nil, &u)
	return u, err
}

// Users fetches every user of the company, deactivated and deleted ones included (they may still own deals).
// It is a v1 call: with OAuth it needs the users:read scope, else Pipedrive answers 403 (ErrForbidden). A start
// position that comes back ends it with an error matching ErrEndlessListing.
func (c *Client) Users(ctx context.Context) ([]User, error) {
	return listV1[User](ctx, c, "/api/v1/users", nil)
}

// Currency is a currency known to the company; custom currencies (IsCustom) have no ISO code.
type Currency struct {
	ID            int64  `json:"id"`
	Code          string `json:"code"`
	Name          string `json:"name"`
	Symbol        string `json:"symbol"`
	DecimalPoints int    `json:"decimal_points"`
	Active        bool   `json:"active_flag"`
	IsCustom      bool   `json:"is_custom_flag"`
}

// Currencies fetches every currency of the company.
func (c *Client) Currencies(ctx context.Context) ([]Currency, error) {
	var cs []Currency
	err := c.get(ctx, "/api/v1/currencies", nil, &cs)
	return cs, err
}
