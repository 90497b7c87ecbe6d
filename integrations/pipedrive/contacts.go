package pipedrive

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Organization is a v2 organization. Pipedrive has no built-in tax ID: that is a custom field.
type Organization struct {
	ID            int64               `json:"id"`
	Name          string              `json:"name"`
	OwnerID       int64               `json:"owner_id"`
	Address       Address             `json:"address"`
	Website       string              `json:"website"`
	LinkedIn      string              `json:"linkedin"`
	AnnualRevenue decimal.NullDecimal `json:"annual_revenue"`
	EmployeeCount int                 `json:"employee_count"`
	VisibleTo     int                 `json:"visible_to"`
	LabelIDs      []int64             `json:"label_ids"`
	IsDeleted     bool                `json:"is_deleted"`
	AddTime       Time                `json:"add_time"`
	UpdateTime    Time                `json:"update_time"`
	CustomFields  CustomFields        `json:"custom_fields"`
}

// Person is a v2 person.
type Person struct {
	ID            int64          `json:"id"`
	Name          string         `json:"name"`
	FirstName     string         `json:"first_name"`
	LastName      string         `json:"last_name"`
	OwnerID       int64          `json:"owner_id"`
	OrgID         int64          `json:"org_id"`
	Emails        []ContactPoint `json:"emails"`
	Phones        []ContactPoint `json:"phones"`
	JobTitle      string         `json:"job_title"`
	PostalAddress Address        `json:"postal_address"`
	VisibleTo     int            `json:"visible_to"`
	LabelIDs      []int64        `json:"label_ids"`
	IsDeleted     bool           `json:"is_deleted"`
	AddTime       Time           `json:"add_time"`
	UpdateTime    Time           `json:"update_time"`
	CustomFields  CustomFields   `json:"custom_fields"`
}

// PrimaryEmail is the e-mail marked primary, else the first one, else "".
func (p Person) PrimaryEmail() string { return primaryOf(p.Emails) }

// PrimaryPhone is the phone number marked primary, else the first one, else "".
func (p Person) PrimaryPhone() string { return primaryOf(p.Phones) }

// Organization fetches one organization.
func (c *Client) Organization(ctx context.Context, id int64) (Organization, error) {
	var o Organization
	err := c.get(ctx, "/api/v2/organizations/"+strconv.FormatInt(id, 10), nil, &o)
	return o, err
}

// Person fetches one person.
func (c *Client) Person(ctx context.Context, id int64) (Person, error) {
	var p Person
	err := c.get(ctx, "/api/v2/persons/"+strconv.FormatInt(id, 10), nil, &p)
	return p, err
}

// MaxIDs is how many ids one v2 list request may name in its ids filter.
const MaxIDs = 100

// OrganizationsByIDs fetches the organizations with the given ids, MaxIDs per request. Organizations that do
// not exist or are not visible to the user are left out. On error it returns those read so far with the error.
func (c *Client) OrganizationsByIDs(ctx context.Context, ids []int64) ([]Organization, error) {
	return listByIDs[Organization](ctx, c, "/api/v2/organizations", ids)
}

// PersonsByIDs fetches the persons with the given ids, MaxIDs per request. Persons that do not exist or are
// not visible to the user are left out. On error it returns those read so far with the error.
func (c *Client) PersonsByIDs(ctx context.Context, ids []int64) ([]Person, error) {
	return listByIDs[Person](ctx, c, "/api/v2/persons", ids)
}

// listByIDs reads a v2 list filtered by ids, in batches of MaxIDs, following the cursor should a batch span
// pages.
func listByIDs[T any](ctx context.Context, c *Client, path string, ids []int64) ([]T, error) {
	var all []T
	for batch := range slices.Chunk(ids, MaxIDs) {
		q := url.Values{"ids": {joinIDs(batch)}, "limit": {strconv.Itoa(MaxIDs)}}
		items, err := listAll[T](ctx, c, request{method: http.MethodGet, path: path, query: q})
		all = append(all, items...)
		if err != nil {
			return all, err
		}
	}
	return all, nil
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}
