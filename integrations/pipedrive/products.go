package pipedrive

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/shopspring/decimal"
)

// Discount types, for deal products and deal-level discounts.
const (
	DiscountPercentage = "percentage"
	DiscountAmount     = "amount"
)

// Tax methods of deal products (deal-wide in Pipedrive: changing one product changes all).
const (
	TaxExclusive = "exclusive"
	TaxInclusive = "inclusive"
	TaxNone      = "none"
)

// BillingOneTime is the billing frequency of a non-recurring product.
const BillingOneTime = "one-time"

// DealProduct is a product attached to a deal (one line of the deal).
type DealProduct struct {
	ID                 int64           `json:"id"`
	DealID             int64           `json:"deal_id"`
	ProductID          int64           `json:"product_id"`           // 0 when the product was deleted long ago
	ProductVariationID int64           `json:"product_variation_id"` // 0 when none
	Name               string          `json:"name"`
	OrderNr            int             `json:"order_nr"`
	Quantity           decimal.Decimal `json:"quantity"`
	ItemPrice          decimal.Decimal `json:"item_price"`
	Discount           decimal.Decimal `json:"discount"`      // a percentage or an amount, per DiscountType
	DiscountType       string          `json:"discount_type"` // DiscountPercentage or DiscountAmount
	Tax                decimal.Decimal `json:"tax"`           // tax rate in percent
	TaxMethod          string          `json:"tax_method"`    // TaxExclusive, TaxInclusive or TaxNone
	Sum                decimal.Decimal `json:"sum"`           // line total as Pipedrive computed it
	Currency           string          `json:"currency"`
	Comments           string          `json:"comments"`
	IsEnabled          bool            `json:"is_enabled"`
	BillingFrequency   string          `json:"billing_frequency"`        // BillingOneTime, "monthly", "annually", …
	BillingCycles      int             `json:"billing_frequency_cycles"` // 0 = indefinite (or one-time)
	BillingStartDate   Date            `json:"billing_start_date"`
	AddTime            Time            `json:"add_time"`
	UpdateTime         Time            `json:"update_time"`
}

// IsRecurring reports whether the product is billed more than once.
func (p DealProduct) IsRecurring() bool {
	return p.BillingFrequency != "" && p.BillingFrequency != BillingOneTime
}

// DealDiscount is a deal-level discount, applied after the products.
type DealDiscount struct {
	ID          string          `json:"id"`
	DealID      int64           `json:"deal_id"`
	Description string          `json:"description"`
	Amount      decimal.Decimal `json:"amount"` // a percentage or an amount, per Type
	Type        string          `json:"type"`   // DiscountPercentage or DiscountAmount
	CreatedAt   Time            `json:"created_at"`
	CreatedBy   int64           `json:"created_by"`
	UpdatedAt   Time            `json:"updated_at"`
	UpdatedBy   int64           `json:"updated_by"`
}

// Product is a catalogue product.
type Product struct {
	ID               int64           `json:"id"`
	Name             string          `json:"name"`
	Code             string          `json:"code"` // SKU
	Description      string          `json:"description"`
	Unit             string          `json:"unit"`
	Tax              decimal.Decimal `json:"tax"`
	Category         string          `json:"category"`
	IsDeleted        bool            `json:"is_deleted"`
	BillingFrequency string          `json:"billing_frequency"`
	BillingCycles    int             `json:"billing_frequency_cycles"`
	Prices           []ProductPrice  `json:"prices"`
	OwnerID          int64           `json:"owner_id"`
	AddTime          Time            `json:"add_time"`
	UpdateTime       Time            `json:"update_time"`
	CustomFields     CustomFields    `json:"custom_fields"`
}

// ProductPrice is a product's price in one currency.
type ProductPrice struct {
	Price      decimal.Decimal `json:"price"`
	Currency   string          `json:"currency"`
	Cost       decimal.Decimal `json:"cost"`
	DirectCost decimal.Decimal `json:"direct_cost"`
	Notes      string          `json:"notes"`
}

// DealProducts fetches every product line of a deal, in Pipedrive's order.
func (c *Client) DealProducts(ctx context.Context, dealID int64) ([]DealProduct, error) {
	v := url.Values{"limit": {strconv.Itoa(MaxPageSize)}, "sort_by": {"order_nr"}}
	return listAll[DealProduct](ctx, c, request{method: http.MethodGet, path: dealPath(dealID) + "/products", query: v})
}

// MaxDealIDs is how many deals one GET /api/v2/deals/products names at most.
const MaxDealIDs = 100

// DealsProductsPage fetches one page (MaxPageSize lines) of the product lines of up to MaxDealIDs deals
// with one request: GET /api/v2/deals/products?deal_ids=…, which costs 10 tokens a page, as much as one
// deal's own list. Lines come ordered by deal id, so every deal but the last on a page is complete; the
// order of a deal's lines among themselves is Pipedrive's (sort them by OrderNr). A deal that does not
// exist or has no lines adds none. cursor "" is the first page.
func (c *Client) DealsProductsPage(ctx context.Context, dealIDs []int64, cursor string) (Page[DealProduct], error) {
	if len(dealIDs) == 0 || len(dealIDs) > MaxDealIDs {
		return Page[DealProduct]{}, fmt.Errorf("pipedrive: deal products of %d deals: 1 to %d deals a request", len(dealIDs), MaxDealIDs)
	}
	v := url.Values{"deal_ids": {joinIDs(dealIDs)}, "limit": {strconv.Itoa(MaxPageSize)}, "sort_by": {"deal_id"}}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	return listPage[DealProduct](ctx, c, request{method: http.MethodGet, path: "/api/v2/deals/products", query: v})
}

// DealDiscounts fetches the deal-level discounts of a deal.
func (c *Client) DealDiscounts(ctx context.Context, dealID int64) ([]DealDiscount, error) {
	var ds []DealDiscount
	err := c.get(ctx, dealPath(dealID)+"/discounts", nil, &ds)
	return ds, err
}

// Product fetches one catalogue product (for its code, unit and description).
func (c *Client) Product(ctx context.Context, id int64) (Product, error) {
	var p Product
	err := c.get(ctx, "/api/v2/products/"+strconv.FormatInt(id, 10), nil, &p)
	return p, err
}

// ProductsByIDs fetches the catalogue products with the given ids, MaxIDs per request (10 tokens each, so
// cheaper than Product from the eleventh on). Products that do not exist or are not visible to the user
// are left out (Pipedrive's words). On error it returns those read so far with the error.
func (c *Client) ProductsByIDs(ctx context.Context, ids []int64) ([]Product, error) {
	return listByIDs[Product](ctx, c, "/api/v2/products", ids)
}

func dealPath(id int64) string { return "/api/v2/deals/" + strconv.FormatInt(id, 10) }

// Installment is one scheduled payment of a deal (Growth plan and above; not combined with recurring products).
type Installment struct {
	ID          int64           `json:"id"`
	DealID      int64           `json:"deal_id"`
	Amount      decimal.Decimal `json:"amount"`
	BillingDate Date            `json:"billing_date"`
	Description string          `json:"description"`
}

// DealInstallments fetches the installments of a deal.
func (c *Client) DealInstallments(ctx context.Context, dealID int64) ([]Installment, error) {
	v := url.Values{"deal_ids": {strconv.FormatInt(dealID, 10)}, "limit": {strconv.Itoa(MaxPageSize)}}
	return listAll[Installment](ctx, c, request{method: http.MethodGet, path: "/api/v2/deals/installments", query: v})
}
