package quickbooks

import (
	"context"
	"errors"
	"net/url"
)

// Customer reads one customer by Id.
func (c *Client) Customer(ctx context.Context, id string) (*Customer, error) {
	var env struct{ Customer *Customer }
	if err := c.get(ctx, "/customer/"+url.PathEscape(id), nil, &env); err != nil {
		return nil, err
	}
	if env.Customer == nil {
		return nil, errors.New("quickbooks: answer has no Customer")
	}
	return env.Customer, nil
}

// CustomerByDisplayName returns the customer with exactly this DisplayName,
// or nil if there is none.
func (c *Client) CustomerByDisplayName(ctx context.Context, name string) (*Customer, error) {
	var found []Customer
	if err := c.Query(ctx, Select("Customer").Eq("DisplayName", name), &found); err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, nil
	}
	return &found[0], nil
}

// SearchCustomers returns up to max customers whose DisplayName contains text.
func (c *Client) SearchCustomers(ctx context.Context, text string, max int) ([]Customer, error) {
	var found []Customer
	q := Select("Customer").Contains("DisplayName", text).OrderBy("DisplayName", false).Page(1, max)
	if err := c.Query(ctx, q, &found); err != nil {
		return nil, err
	}
	return found, nil
}

// AllCustomers pages through every customer (QuickBooks cannot filter on
// e-mail, so matching by e-mail happens locally on this list).
func (c *Client) AllCustomers(ctx context.Context) ([]Customer, error) {
	return queryAll[Customer](ctx, c, Select("Customer"))
}

// CreateCustomer creates cust. DisplayName must be unique (else
// ErrDuplicateName); the currency cannot be changed later.
func (c *Client) CreateCustomer(ctx context.Context, requestID string, cust Customer) (*Customer, error) {
	cust.ID, cust.SyncToken, cust.Sparse = "", "", false
	return c.writeCustomer(ctx, requestID, cust)
}

// UpdateCustomer changes only the fields set in cust, which must carry the
// Id and the SyncToken it was read with (else ErrStaleObject).
func (c *Client) UpdateCustomer(ctx context.Context, requestID string, cust Customer) (*Customer, error) {
	if cust.ID == "" || cust.SyncToken == "" {
		return nil, errors.New("quickbooks: customer update needs Id and SyncToken")
	}
	cust.Sparse = true
	return c.writeCustomer(ctx, requestID, cust)
}

func (c *Client) writeCustomer(ctx context.Context, requestID string, cust Customer) (*Customer, error) {
	var env struct{ Customer *Customer }
	if err := c.post(ctx, "/customer", nil, requestID, cust, &env); err != nil {
		return nil, err
	}
	if env.Customer == nil {
		return nil, errors.New("quickbooks: answer has no Customer")
	}
	return env.Customer, nil
}
