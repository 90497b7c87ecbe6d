package adapters

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/pipedrive"
)

// dealContentKind is the reference cache kind under which a deal's products and discounts are kept.
func dealContentKind(dealID int64) string {
	return "pipedrive.deal-content:" + strconv.FormatInt(dealID, 10)
}

// dealContent is a deal's product lines (with their catalogue codes) and deal-level discounts as read
// when the deal's update_time was UpdateTime. They cost 20 of a draft's tokens (10 each) and are used
// again, without a lifetime, while the deal read afresh still has that update_time.
//
// UNVERIFIED: that Pipedrive moves a deal's update_time whenever its products or discounts change (they
// change the deal's value). Safe even if not: the deal, and so its value, is always read afresh, and
// invoicing.Reconcile names any difference between the invoice and that value before Create.
type dealContent struct {
	UpdateTime time.Time
	Products   []invoicing.DealProduct
	Discounts  []invoicing.Discount
}

// newDealContent maps the products and discounts read for deal d.
func newDealContent(d pipedrive.Deal, products []pipedrive.DealProduct, discounts []pipedrive.DealDiscount) dealContent {
	c := dealContent{UpdateTime: d.UpdateTime.Time}
	for _, dp := range products {
		c.Products = append(c.Products, dealProduct(dp))
	}
	for _, dd := range discounts {
		c.Discounts = append(c.Discounts, discount(dd.Description, dd.Type, dd.Amount))
	}
	return c
}

func (c dealContent) productIDs() []int64 {
	ids := make([]int64, 0, len(c.Products))
	for _, p := range c.Products {
		ids = append(ids, p.ProductID)
	}
	return ids
}

func productIDs(products []pipedrive.DealProduct) []int64 {
	ids := make([]int64, 0, len(products))
	for _, p := range products {
		ids = append(ids, p.ProductID)
	}
	return ids
}

// dealContent returns the content kept for the deal and when its codes were read; false when there is
// none (or no cache, or the store fails: that only costs the reads).
func (c *ReferenceCache) dealContent(ctx context.Context, dealID int64) (dealContent, time.Time, bool) {
	if c == nil {
		return dealContent{}, time.Time{}, false
	}
	body, at, err := c.store.Reference(ctx, dealContentKind(dealID))
	var kept dealContent
	if err != nil || json.Unmarshal(body, &kept) != nil || kept.UpdateTime.IsZero() {
		return dealContent{}, time.Time{}, false
	}
	return kept, at, true
}

// keepDealContent stores the deal's content, its codes read now.
func (c *ReferenceCache) keepDealContent(ctx context.Context, dealID int64, content dealContent) {
	if c != nil && !content.UpdateTime.IsZero() {
		c.save(ctx, dealContentKind(dealID), content)
	}
}

// fresh reports whether data of kind read at fetched is younger than the kind's lifetime.
func (c *ReferenceCache) fresh(fetched time.Time, kind string) bool {
	if c == nil {
		return false
	}
	age := c.now().Sub(fetched)
	return age >= 0 && age < Lifetimes[kind]
}
