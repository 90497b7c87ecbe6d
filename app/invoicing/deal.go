package invoicing

import (
	"time"

	"github.com/shopspring/decimal"
)

// This file holds what the Service reads from Pipedrive: deals, their products and parties, and field definitions.

// DealStatus is a Pipedrive deal's status.
type DealStatus string

// The deal statuses Pipedrive knows.
const (
	DealOpen    DealStatus = "open"
	DealWon     DealStatus = "won"
	DealLost    DealStatus = "lost"
	DealDeleted DealStatus = "deleted"
)

// Deal is a Pipedrive deal as the picker shows it.
type Deal struct {
	ID       int64
	Title    string
	Value    decimal.Decimal
	Currency string
	Status   DealStatus
	OwnerID  int64
	// OrgID and PersonID are 0 when the deal has none; the names are
	// filled when the adapter has them.
	OrgID      int64
	OrgName    string
	PersonID   int64
	PersonName string
	UpdatedAt  time.Time
}

// DealFilter selects deals to list from Pipedrive.
type DealFilter struct {
	Statuses     []DealStatus // empty: every status but deleted
	OwnerID      int64        // 0: every owner
	UpdatedSince time.Time    // zero: any time
	// ReadNames asks for the deals' organization and person names to be read again, every one, rather than
	// taken from the names known: a full reload, the only listing that sees an organization or person
	// renamed (renaming one does not change its deals' update_time).
	ReadNames bool
}

// DealPage is one page of ListDeals.
type DealPage struct {
	Deals []Deal
	Next  string // the cursor of the next page; "" on the last page
}

// DealQuery selects deals from the cache.
type DealQuery struct {
	Statuses []DealStatus // empty: every status
	OwnerID  int64        // 0: every owner
	// Text, when not empty, keeps the deals whose title, organization or
	// person name contains it, ignoring case.
	Text  string
	Limit int // 0: no limit
}

// Entity is a kind of Pipedrive record a field belongs to.
type Entity string

// The entities whose fields can fill an invoice.
const (
	EntityDeal         Entity = "deal"
	EntityOrganization Entity = "organization"
	EntityPerson       Entity = "person"
)

// Standard field codes every adapter fills in Party.Fields and
// DealBundle.DealFields besides the custom fields.
const (
	FieldName    = "name"    // organization or person name
	FieldAddress = "address" // organization address, as one formatted text
	FieldEmail   = "email"   // person's primary e-mail address (else the first)
	FieldTitle   = "title"   // deal title
)

// Field is one Pipedrive field definition.
type Field struct {
	Entity Entity
	Code   string // field_code: "name", "address", or a custom field's 40-character hash
	Name   string // as the user named it
	Type   string // field_type, such as "varchar" or "address"
	Custom bool
}

// FieldRef points at one field of a deal's organization, person or deal.
// The zero FieldRef means "none".
type FieldRef struct {
	Entity Entity
	Code   string
}

// IsZero reports whether the reference points at no field.
func (f FieldRef) IsZero() bool { return f == FieldRef{} }

// DealBundle is a deal with what a draft is built from.
type DealBundle struct {
	Deal Deal
	// DealFields holds the deal's field values as text by field code
	// (standard and custom).
	DealFields   map[string]string
	Organization *Party // nil when the deal has no organization
	Person       *Party // nil when the deal has no person
	Products     []DealProduct
	Discounts    []Discount // the deal-level discounts
}

// Party is a Pipedrive organization or person.
type Party struct {
	ID   int64
	Name string
	// Fields holds every field value as text by field code: the standard
	// codes (FieldName, FieldAddress, FieldEmail) and the custom fields'
	// hashes. An address is its formatted text, an option its label.
	Fields map[string]string
}

// TaxMethod is Pipedrive's deal-wide tax_method.
type TaxMethod string

// The tax methods of Pipedrive deal products.
const (
	TaxMethodExclusive TaxMethod = "exclusive"
	TaxMethodInclusive TaxMethod = "inclusive"
	TaxMethodNone      TaxMethod = "none"
)

// DealProduct is a product attached to a deal.
type DealProduct struct {
	ProductID int64
	Name      string
	// Code is the catalogue product's code (its SKU); "" when it has none.
	Code      string
	Comments  string
	Quantity  decimal.Decimal
	ItemPrice decimal.Decimal // unit price
	Discount  Discount
	TaxRate   decimal.Decimal // tax percentage, 20 for 20 %
	TaxMethod TaxMethod
	// Sum is Pipedrive's line total. Pipedrive documents it for inclusive
	// tax only (quantity × price less the discount); whether it includes
	// exclusive tax is not documented, so Reconcile reads it without relying on it.
	Sum decimal.Decimal
	// BillingFrequency is "one-time", "monthly", …; "" means one-time.
	BillingFrequency string
	Enabled          bool
}

// Owner is a CRM user, as the owner of deals (Deal.OwnerID).
type Owner struct {
	ID   int64
	Name string
}
