package pipedrive

import (
	"context"
	"strconv"

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
